package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.SettingProblem;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.aci.FakeAci;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The typed builders embedding code uses (a private-CA endpoint with a fixed token, the caller's own manager),
 * and describeAll's cost, against the fake ACI with the real Azure SDK.
 */
class AciRunnerLauncherBuilderTest {
  private static final TokenCredential FIXED_TOKEN = request -> Mono.just(new AccessToken("fixed-token",
      OffsetDateTime.now().plusHours(1)));
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final AciFixture fixture = new AciFixture(org.github(), org.clock());
  private int names;

  @AfterEach
  void close() {
    try (fixture) {
      org.close();
    }
  }

  private AciSettings settings() {
    return AciSettings.builder().subscriptionId(FakeAci.DEFAULT_SUBSCRIPTION).resourceGroup(AciFixture.RESOURCE_GROUP)
        .location("eastus").image(AciFixture.IMAGE).endpoint(fixture.aci.endpoint()).build();
  }

  private LaunchSpec spec() {
    String name = String.format("aci-%04d", ++names);
    String jit = org.client().generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted"), "_work"))
        .encodedJitConfig();
    return new LaunchSpec(name, List.of("self-hosted"), new RunnerCredential.JitConfig(jit), Map.of(),
        Duration.ofHours(1), Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team"), name + "-1", 0);
  }

  @Test
  void aLauncherForAPrivateCaEndpointWithAFixedTokenLaunchesAndDescribes() {
    AciRunnerLauncher launcher = AciRunnerLauncher.builder().settings(settings())
        .trustedCertificate(fixture.aci.certificate()).credential(FIXED_TOKEN).clock(org.clock())
        .purpose(LauncherPurpose.START).build();

    LaunchedRunner launched = launcher.launch(spec());

    assertThat(launcher.describe(launched).state()).isNotEqualTo(ContainerState.GONE);
    assertThat(fixture.aci.rejectedRequests()).isEmpty();
  }

  @Test
  void theCallersManagerIsUsedAsItIsAndStillWorksAfterClose() {
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", fixture.aci.endpoint() + "/");
    ContainerInstanceManager manager = ContainerInstanceManager.configure()
        .withHttpClient(AciFixture.httpClient(fixture.aci))
        .authenticate(FIXED_TOKEN, new AzureProfile(null, FakeAci.DEFAULT_SUBSCRIPTION, new AzureEnvironment(endpoints)));
    AciRunnerLauncher launcher = AciRunnerLauncher.builder().settings(settings()).containerInstanceManager(manager)
        .clock(org.clock()).build();
    LaunchedRunner launched = launcher.launch(spec());

    launcher.close();

    assertThat(manager.containerGroups().listByResourceGroup(AciFixture.RESOURCE_GROUP))
        .extracting(group -> group.id()).containsExactly(launched.resourceId());
    AciRunnerLauncher manage = AciRunnerLauncher.builder().containerInstanceManager(manager)
        .scope(AciSettings.builder().subscriptionId(FakeAci.DEFAULT_SUBSCRIPTION)
            .resourceGroup(AciFixture.RESOURCE_GROUP).buildScope()).purpose(LauncherPurpose.MANAGE).build();
    assertThat(manage.listOwned("team")).hasSize(1);
    assertThatThrownBy(() -> manage.launch(spec())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSettingsBuilderNamesTheSameProblemsAsTheInputs() {
    assertThatThrownBy(() -> AciSettings.builder().subscriptionId("nope").resourceGroup(AciFixture.RESOURCE_GROUP)
        .image("bad image").cpu(new BigDecimal("8")).registryCredentials("user", null).build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input)
            .containsExactly("subscription-id", "location", "image", "cpu", "registry-password", "registry-server"));
    assertThat(AciSettings.builder().subscriptionId(FakeAci.DEFAULT_SUBSCRIPTION).resourceGroup("rg")
        .location("West Europe").image(AciFixture.IMAGE).spot(true).build())
        .satisfies(s -> {
          assertThat(s.location()).isEqualTo("westeurope");
          assertThat(s.capacityOptions()).isEqualTo(2);
        });
    assertThatThrownBy(() -> AciRunnerLauncher.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void oneHundredFiftyGroupsCostTwoListPagesAGetOnlyForEachListedGroupAndKeepInputOrder() {
    AciRunnerLauncher launcher = fixture.launcher();
    List<LaunchedRunner> launched = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      launched.add(launcher.launch(spec()));
    }
    org.clock().advance(Duration.ofMinutes(2));
    fixture.aci.poll();
    fixture.aci.forget(launched.get(42).resourceId());
    launcher.terminate(launched.get(7), "stop");
    List<LaunchedRunner> asked = new ArrayList<>(launched);
    Collections.shuffle(asked, new Random(5));
    int listsBefore = fixture.aci.callCount("ContainerGroups_ListByResourceGroup");
    int getsBefore = fixture.aci.callCount("ContainerGroups_Get");

    List<ContainerStatus> all = launcher.describeAll(asked);

    int lists = fixture.aci.callCount("ContainerGroups_ListByResourceGroup") - listsBefore;
    int gets = fixture.aci.callCount("ContainerGroups_Get") - getsBefore;
    // ARM's list carries no instance view: it settles only the gone group; the other 149 still cost a GET each
    assertThat(lists).isEqualTo(2);
    assertThat(gets).isEqualTo(149);
    assertThat(all).containsExactlyElementsOf(asked.stream().map(launcher::describe).toList());
    assertThat(all.get(asked.indexOf(launched.get(42))).state()).isEqualTo(ContainerState.GONE);
    assertThat(all.get(asked.indexOf(launched.get(7))).state()).isIn(ContainerState.STOPPED, ContainerState.GONE);
    assertThat(all).filteredOn(s -> s.state() == ContainerState.RUNNING).hasSizeGreaterThan(140);
  }
}
