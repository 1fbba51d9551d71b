package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubClient;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ECS-specific behaviour of the launcher, with the real SDK against the fake ECS and EC2. */
class EcsLauncherBehaviourTest {
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final EcsFixture fixture = new EcsFixture(github, clock);
  private int names;

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private LaunchSpec spec(Map<String, String> extraEnv, int capacityOption) {
    String name = String.format("ecs-%08d", ++names);
    return org.jitLaunchSpec(name, List.of("self-hosted", "ecs"), extraEnv, capacityOption);
  }

  @Test
  void subnetsAndSecurityGroupsByTagAreSentAsIds() {
    EcsRunnerLauncher launcher = fixture.launcher();

    launcher.launch(spec(Map.of(), 0));

    assertThat(launcher.network().orElseThrow().subnets()).containsExactly(EcsFixture.SUBNET_A, EcsFixture.SUBNET_B);
    FakeTask task = fixture.ecs.tasks().get(0);
    assertThat(task.subnets()).containsExactly(EcsFixture.SUBNET_A, EcsFixture.SUBNET_B);
    assertThat(task.securityGroups()).containsExactly(EcsFixture.GROUP);
    assertThat(task.assignPublicIp()).contains("DISABLED");
    assertThat(fixture.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void theTaskCarriesTheCredentialTagsStartedByAndClientToken() {
    EcsRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec(Map.of(), 0);

    LaunchedRunner launched = launcher.launch(spec);

    FakeTask task = fixture.ecs.tasks().get(0);
    assertThat(launched.resourceId()).isEqualTo(task.taskArn()).startsWith("arn:aws:ecs:us-east-1:");
    assertThat(task.environment()).containsEntry("ACTIONS_RUNNER_INPUT_JITCONFIG", spec.credential().secret())
        .containsEntry("ONESHOT_IDLE_TIMEOUT", "600s");
    assertThat(task.tags()).containsAllEntriesOf(spec.tags());
    assertThat(task.startedBy()).contains("oneshot");
    assertThat(task.clientToken()).contains(spec.idempotencyKey());
    assertThat(task.launchType()).contains("FARGATE");
    assertThat(launched.consoleUrl()).get().asString().startsWith("https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/runners/tasks/");
  }

  @Test
  void capacityProvidersAreUsedInOrderByCapacityOption() {
    EcsRunnerLauncher launcher = fixture.launcher("capacity-providers", "FARGATE_SPOT,FARGATE");
    fixture.ecs.faults().noCapacityOn("FARGATE_SPOT");

    assertThatThrownBy(() -> launcher.launch(spec(Map.of(), 0)))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CAPACITY);
          assertThat(e.retryable()).isTrue();
          assertThat(e.backendReason()).contains("Capacity is unavailable");
        });
    launcher.launch(spec(Map.of(), 1));

    assertThat(fixture.ecs.tasks()).singleElement().extracting(FakeTask::capacityProviderName)
        .isEqualTo(java.util.Optional.of("FARGATE"));
    assertThat(launcher.capabilities().capacityOptions()).isEqualTo(2);
  }

  @Test
  void overridesTooLargeAreRefusedBeforeAnyCall() {
    EcsRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec(Map.of("PADDING", "x".repeat(9000)), 0);

    assertThatThrownBy(() -> launcher.launch(spec))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("over ECS's limit of 8192")
        .hasMessageContaining("registration: token with seal-public-key")
        .hasMessageNotContaining(spec.credential().secret());
    assertThat(fixture.ecs.callCount("RunTask")).isZero();
  }

  @Test
  void throttlingIsAbsorbedBySdkRetries() {
    EcsRunnerLauncher launcher = fixture.launcher();
    fixture.ecs.faults().throttleNext("RunTask", 2);

    launcher.launch(spec(Map.of(), 0));

    assertThat(fixture.ecs.callCount("RunTask")).isEqualTo(3);
    assertThat(fixture.ecs.tasks()).hasSize(1);
  }

  @Test
  void accessDeniedIsAPermissionFailureNamingTheAction() {
    EcsRunnerLauncher launcher = fixture.launcher();
    fixture.ecs.faults().accessDeniedNext("RunTask", 1);

    assertThatThrownBy(() -> launcher.launch(spec(Map.of(), 0)))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.PERMISSION))
        .hasMessageContaining("ecs:RunTask")
        .hasMessageContaining("docs/aws/iam-policy.json");
  }

  @Test
  void aTaskStoppedWhilePendingKeepsItsStopCodeAndReason() {
    EcsRunnerLauncher launcher = fixture.launcher();
    fixture.ecs.faults().stopWhilePendingNext(1, "TaskFailedToStart",
        "ResourceInitializationError: failed to configure ENI: subnet has no free addresses");
    LaunchedRunner launched = launcher.launch(spec(Map.of(), 0));
    clock.advance(Duration.ofMinutes(1));

    var status = launcher.describe(launched);

    assertThat(status.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(status.failure()).contains(FailureKind.CONFIGURATION);
    assertThat(status.reason()).isEqualTo("TaskFailedToStart: ResourceInitializationError: failed to configure ENI:"
        + " subnet has no free addresses");
  }

  @Test
  void aSpotInterruptionIsCapacity() {
    EcsRunnerLauncher launcher = fixture.launcher("capacity-providers", "FARGATE_SPOT,FARGATE");
    fixture.ecs.faults().stopWhilePendingNext(1, "SpotInterruption", "Your Spot Task was interrupted.");
    LaunchedRunner launched = launcher.launch(spec(Map.of(), 0));
    clock.advance(Duration.ofMinutes(1));

    assertThat(launcher.describe(launched).failure()).contains(FailureKind.CAPACITY);
  }

  @Test
  void thePrivateIpIsReportedOnceTheEniIsAttached() {
    EcsRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec(Map.of(), 0));
    clock.advance(Duration.ofMinutes(1));

    LaunchedRunner listed = launcher.listOwned("team").get(0);

    assertThat(listed.resourceId()).isEqualTo(launched.resourceId());
    assertThat(listed.privateIp()).get().asString().matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void listOwnedPagesThroughRunningAndStoppedTasks() {
    EcsRunnerLauncher launcher = fixture.launcher();
    for (int i = 0; i < 120; i++) {
      LaunchedRunner launched = launcher.launch(spec(Map.of(), 0));
      if (i % 2 == 0) {
        launcher.terminate(launched, "test");
      }
    }

    assertThat(launcher.listOwned("team")).hasSize(120);
    assertThat(launcher.listOwned("nobody")).isEmpty();
  }

  @Test
  void anUnknownTaskDefinitionFailsAtCreateNamingTheInput() {
    assertThatThrownBy(() -> fixture.launcher("task-definition", "missing-family"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("task-definition 'missing-family' could not be read");
  }

  @Test
  void aTagMatchingNoSubnetFailsAtCreateNamingTheTag() {
    assertThatThrownBy(() -> fixture.launcher("subnets-tag", "oneshot:nowhere"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("subnets-tag 'oneshot:nowhere' matches no subnet");
    assertThat(fixture.ecs.callCount("RunTask")).isZero();
  }

  @Test
  void severalContainersNeedAContainerName() {
    assertThatThrownBy(() -> fixture.launcher("task-definition", "two-containers"))
        .hasMessageContaining("has 2 containers (runner, sidecar); set container-name");
    assertThat(fixture.launcher("task-definition", "two-containers", "container-name", "runner").containerName().orElseThrow())
        .isEqualTo("runner");
    assertThatThrownBy(() -> fixture.launcher("task-definition", "two-containers", "container-name", "web"))
        .hasMessageStartingWith("container-name 'web' is not a container of task definition two-containers:1");
  }
}
