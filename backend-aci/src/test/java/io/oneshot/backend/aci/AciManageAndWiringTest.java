package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.github.GitHubClient;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.SettingProblem;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.aci.AciFaults;
import io.oneshot.fakes.aci.FakeContainerGroup;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ACI launcher for stop, sweep and status (subscription and resource group only), priority, zones and
 * identity reaching the PUT, and transport failures mapped, with the real Azure SDK against the fake ACI.
 */
class AciManageAndWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final AciFixture fixture = new AciFixture(github, clock);
  private int names;

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private LaunchSpec spec(int capacityOption) {
    String name = String.format("aci-%08d", ++names);
    return org.jitLaunchSpec(name, List.of("self-hosted", "aci"), Map.of(), capacityOption);
  }

  private RunnerLauncher manageLauncher() {
    Map<String, String> scope = Map.of("subscription-id", fixture.aci.subscriptionId(), "resource-group",
        AciFixture.RESOURCE_GROUP, "endpoint", fixture.aci.endpoint().toString());
    return fixture.create(new BackendSettings(scope, clock, LauncherPurpose.MANAGE));
  }

  private JsonNode lastPut() throws Exception {
    List<String> bodies = fixture.aci.requestBodies(AciFaults.CREATE);
    return JSON.readTree(bodies.get(bodies.size() - 1));
  }

  @Test
  void aManageLauncherFromTheScopeAloneListsDescribesAndDeletesWhatAStartLauncherLaunched() {
    AciRunnerLauncher start = fixture.launcher();
    fixture.aci.faults().runnerCrashOnBootNext(1, 3);
    LaunchedRunner crashed = start.launch(spec(0));
    LaunchedRunner running = start.launch(spec(0));
    int callsBefore = fixture.aci.calls().size();

    RunnerLauncher manage = manageLauncher();
    assertThat(fixture.aci.calls()).hasSize(callsBefore);
    clock.advance(Duration.ofMinutes(2));
    fixture.aci.poll();

    assertThat(manage.listOwned("team")).extracting(LaunchedRunner::resourceId)
        .containsExactlyInAnyOrder(crashed.resourceId(), running.resourceId());
    ContainerStatus status = manage.describe(crashed);
    assertThat(status.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(status.exitCode()).contains(3);
    manage.terminate(running, "stop step");
    manage.terminate(running, "stop step again");
    assertThat(fixture.aci.group(running.resourceId()).map(FakeContainerGroup::provisioningState).orElse("gone"))
        .isIn("Deleting", "gone");
    assertThatThrownBy(() -> manage.launch(spec(0))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stop/sweep/status");
  }

  @Test
  void aManageLauncherNeedsNeitherImageNorLocationAndChecksOnlyTheScope() {
    assertThatThrownBy(() -> fixture.create(new BackendSettings(Map.of("subscription-id", "nope",
        "image", "a b", "cpu", "99"), clock, LauncherPurpose.MANAGE)))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("subscription-id", "resource-group"));
    manageLauncher().close();
    assertThat(fixture.aci.calls()).isEmpty();
  }

  @Test
  void prioritySpotIsSentAndRegularIsTheFallback() throws Exception {
    AciRunnerLauncher launcher = fixture.launcher("priority", "Spot");

    launcher.launch(spec(0));
    assertThat(lastPut().path("properties").path("priority").asText()).isEqualTo("Spot");
    launcher.launch(spec(1));
    assertThat(lastPut().path("properties").path("priority").asText()).isEqualTo("Regular");
    assertThat(fixture.aci.groups()).extracting(g -> g.priority().orElse("")).containsExactlyInAnyOrder("Spot",
        "Regular");
  }

  @Test
  void zonesAreSentAsTheGroupsZone() throws Exception {
    fixture.launcher("zones", "3").launch(spec(0));

    assertThat(lastPut().path("zones").get(0).asText()).isEqualTo("3");
    assertThat(fixture.aci.groups().get(0).zones()).containsExactly("3");
  }

  @Test
  void identityIsTheGroupsUserAssignedIdentityAndTheRegistryCredentialsIdentity() throws Exception {
    fixture.launcher("registry-server", "myacr.azurecr.io", "identity", AciFixture.IDENTITY).launch(spec(0));

    JsonNode put = lastPut();
    assertThat(put.path("identity").path("type").asText()).isEqualTo("UserAssigned");
    assertThat(put.path("identity").path("userAssignedIdentities").has(AciFixture.IDENTITY)).isTrue();
    JsonNode credential = put.path("properties").path("imageRegistryCredentials").get(0);
    assertThat(credential.path("server").asText()).isEqualTo("myacr.azurecr.io");
    assertThat(credential.path("identity").asText()).isEqualTo(AciFixture.IDENTITY);
    assertThat(credential.has("password")).isFalse();
    FakeContainerGroup group = fixture.aci.groups().get(0);
    assertThat(group.userAssignedIdentities()).containsExactly(AciFixture.IDENTITY);
    assertThat(fixture.aci.rejectedRequests()).isEmpty();
  }

  @Test
  void aConnectionResetOnTheGetBeforeThePutIsAThrottledRetryableLaunchFailure() {
    AciRunnerLauncher launcher = fixture.launcher();
    fixture.aci.faults().resetNext(AciFaults.GET, 10);

    assertThatThrownBy(() -> launcher.launch(spec(0)))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("containerGroups/read").contains("without an answer");
        });
    assertThat(fixture.aci.callCount(AciFaults.CREATE)).isZero();
  }

  @Test
  void aConnectionResetOnThePutIsAThrottledRetryableLaunchFailure() {
    AciRunnerLauncher launcher = fixture.launcher();
    fixture.aci.faults().resetNext(AciFaults.CREATE, 10);

    assertThatThrownBy(() -> launcher.launch(spec(0)))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
        });
  }

  @Test
  void connectionResetsInDescribeDeleteAndListAreRetryable() {
    LaunchedRunner launched = fixture.launcher().launch(spec(0));
    RunnerLauncher manage = manageLauncher();

    fixture.aci.faults().resetNext(AciFaults.GET, 10);
    assertRetryable(() -> manage.describe(launched), "containerGroups/read");
    fixture.aci.faults().reset();
    fixture.aci.faults().resetNext(AciFaults.DELETE, 10);
    assertRetryable(() -> manage.terminate(launched, "stop"), "containerGroups/delete");
    fixture.aci.faults().reset();
    fixture.aci.faults().resetNext(AciFaults.LIST, 10);
    assertRetryable(() -> manage.listOwned("team"), "containerGroups/read");
  }

  private static void assertRetryable(Runnable call, String action) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OneshotException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains(action);
    });
  }
}
