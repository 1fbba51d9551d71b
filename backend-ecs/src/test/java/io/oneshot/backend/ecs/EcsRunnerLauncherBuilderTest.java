package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.SettingProblem;
import io.oneshot.testkit.GitHubOrg;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The typed builders embedding code uses, with the caller's own SDK clients against the fake ECS and EC2 (the
 * SDK's {@code Ec2Client}, test scope only, checks the launcher's own EC2 lookups against the fake).
 */
class EcsRunnerLauncherBuilderTest {
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final EcsFixture fixture = new EcsFixture(org.github(), org.clock());
  private final StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIDTEAM", "team-secret"));
  private final EcsClient ecsClient = EcsClient.builder().region(Region.US_EAST_1)
      .endpointOverride(fixture.ecs.endpoint()).credentialsProvider(credentials).build();
  private final Ec2Client ec2Client = Ec2Client.builder().region(Region.US_EAST_1)
      .endpointOverride(fixture.ecs.endpoint()).credentialsProvider(credentials).build();

  @AfterEach
  void close() {
    try (ecsClient; ec2Client; fixture) {
      org.close();
    }
  }

  private EcsSettings settings() {
    return EcsSettings.builder().cluster("runners").taskDefinition("oneshot-runner")
        .subnetsTag(new TagFilter("oneshot", "runners")).securityGroupsTag(new TagFilter("oneshot", "runners")).build();
  }

  private LaunchSpec spec(String name) {
    String jit = org.client().generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted"), "_work"))
        .encodedJitConfig();
    return new LaunchSpec(name, List.of("self-hosted"), new RunnerCredential.JitConfig(jit), Map.of(),
        Duration.ofHours(1), Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team"), name + "-1", 0);
  }

  @Test
  void aLauncherOnTheCallersClientsResolvesLaunchesAndLeavesTheClientsOpenOnClose() {
    EcsRunnerLauncher launcher = EcsRunnerLauncher.builder().settings(settings()).ecsClient(ecsClient)
        .ec2Endpoint(fixture.ecs.endpoint()).clock(org.clock()).purpose(LauncherPurpose.START).build();

    assertThat(launcher.containerName()).contains("runner");
    assertThat(launcher.network().orElseThrow().subnets()).containsExactly(EcsFixture.SUBNET_A, EcsFixture.SUBNET_B);
    assertThat(fixture.ecs.callCount("DescribeTaskDefinition")).isEqualTo(1);
    LaunchedRunner launched = launcher.launch(spec("team-1"));
    assertThat(launched.region()).isEqualTo("us-east-1");
    launcher.close();
    launcher.close();

    // The caller's client still works: the caller owns it.
    assertThat(ecsClient.describeTasks(r -> r.cluster("runners").tasks(launched.resourceId())).tasks()).hasSize(1);
    // The lookup found what the SDK's own EC2 client finds with the same filter, and was not rejected.
    assertThat(ec2Client.describeSubnets(r -> r.filters(f -> f.name("tag:oneshot").values("runners"))).subnets())
        .extracting(s -> s.subnetId()).containsExactlyInAnyOrderElementsOf(launcher.network().orElseThrow().subnets());
    assertThat(ec2Client.describeSecurityGroups(r -> r.filters(f -> f.name("tag:oneshot").values("runners")))
        .securityGroups()).extracting(g -> g.groupId())
        .containsExactlyInAnyOrderElementsOf(launcher.network().orElseThrow().securityGroups());
    assertThat(fixture.ecs.callCount("DescribeSubnets")).isEqualTo(2);
    assertThat(fixture.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void aManageLauncherFromTheScopeMakesNoLookupAndNeedsNoEc2Client() {
    EcsScope scope = EcsSettings.builder().cluster("runners").buildScope();
    EcsRunnerLauncher manage = EcsRunnerLauncher.builder().scope(scope).ecsClient(ecsClient)
        .purpose(LauncherPurpose.MANAGE).build();

    assertThat(manage.listOwned("team")).isEmpty();
    assertThat(fixture.ecs.callCount("DescribeTaskDefinition") + fixture.ecs.callCount("DescribeSubnets")).isZero();
    assertThatThrownBy(() -> manage.launch(spec("team-2"))).isInstanceOf(IllegalStateException.class);
    manage.close();
    assertThat(ecsClient.describeTasks(r -> r.cluster("runners").tasks("arn:aws:ecs:us-east-1:123456789012:task/"
        + "runners/0123456789abcdef0123456789abcdef")).failures()).hasSize(1);
  }

  @Test
  void aLauncherThatBuiltItsOwnClientClosesIt() {
    EcsRunnerLauncher launcher = EcsRunnerLauncher.builder().settings(EcsSettings.builder().region("us-east-1")
        .cluster("runners").taskDefinition("oneshot-runner").subnets(List.of(EcsFixture.SUBNET_A))
        .endpoint(fixture.ecs.endpoint()).build()).clock(org.clock()).build();
    LaunchedRunner launched = launcher.launch(spec("team-3"));

    launcher.close();

    assertThatThrownBy(() -> launcher.describe(launched)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSettingsBuilderChecksByTheInputsRulesAndNamesTheSameProblems() {
    assertThatThrownBy(() -> EcsSettings.builder().cluster("a b").subnets(List.of("nonsense"))
        .launchType("EC2").platformVersion("1.4.0").build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input)
            .containsExactly("cluster", "task-definition", "subnets", "platform-version"));
    assertThatThrownBy(() -> EcsSettings.builder().region("mars").buildScope())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("region"));
    EcsSettings settings = EcsSettings.builder().taskDefinition("oneshot-runner")
        .capacityProviders(List.of("FARGATE_SPOT", "FARGATE")).subnets(List.of(EcsFixture.SUBNET_A)).build();
    assertThat(settings.cluster()).isEqualTo("default");
    assertThat(settings.capacityProviders()).containsExactly("FARGATE_SPOT", "FARGATE");
  }

  @Test
  void startWithoutSettingsIsAProgrammingError() {
    assertThatThrownBy(() -> EcsRunnerLauncher.builder().ecsClient(ecsClient).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("settings");
    assertThatThrownBy(() -> EcsRunnerLauncher.builder().ecsClient(ecsClient).purpose(LauncherPurpose.MANAGE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("scope");
  }

  @Test
  void anUnknownTaskDefinitionFailsAtBuildAndLeavesTheCallersClientOpen() {
    assertThatThrownBy(() -> EcsRunnerLauncher.builder().settings(EcsSettings.builder().cluster("runners")
        .taskDefinition("no-such-family").subnets(List.of(EcsFixture.SUBNET_A)).build()).ecsClient(ecsClient).build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("task-definition"));
    assertThat(ecsClient.describeTaskDefinition(r -> r.taskDefinition("oneshot-runner")).taskDefinition().family())
        .isEqualTo("oneshot-runner");
  }
}
