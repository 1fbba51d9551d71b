package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubClient;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.cloudrun.FakeExecution;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cloud Run-specific behaviour of the launcher, with the real client against the fake Cloud Run. */
class CloudRunLauncherBehaviourTest {
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final CloudRunFixture fixture = new CloudRunFixture(github, clock);
  private int names;

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private LaunchSpec spec(String owner, Map<String, String> extraEnv, Duration maxLifetime) {
    String name = String.format("run-%08d", ++names);
    String jit = client.generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted", "cloudrun"), "_work"))
        .encodedJitConfig();
    return new LaunchSpec(name, List.of("self-hosted", "cloudrun"), new RunnerCredential.JitConfig(jit), extraEnv,
        maxLifetime, Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, owner, OwnershipTags.RUNNER, name,
        OwnershipTags.LABEL, "batch-1", OwnershipTags.EXPIRES, "1767232800"), name + "-1", 0);
  }

  private LaunchSpec spec() {
    return spec("team", Map.of(), Duration.ofHours(1));
  }

  private ContainerStatus awaitFinal(CloudRunRunnerLauncher launcher, LaunchedRunner launched) {
    ContainerStatus status = launcher.describe(launched);
    for (int i = 0; i < 60 && !status.state().isFinal(); i++) {
      clock.advance(Duration.ofSeconds(5));
      status = launcher.describe(launched);
    }
    return status;
  }

  @Test
  void launchReturnsAtOnceWithoutPollingTheOperation() {
    CloudRunRunnerLauncher launcher = fixture.launcher();

    LaunchedRunner launched = launcher.launch(spec());

    assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(1);
    assertThat(fixture.cloudRun.callCount("GetOperation")).isZero();
    assertThat(fixture.cloudRun.execution(launched.resourceId()).orElseThrow().state()).isEqualTo("PENDING");
    assertThat(launcher.describe(launched).state()).isEqualTo(ContainerState.PENDING);
  }

  @Test
  void theExecutionCarriesTheCredentialOwnershipKeyOneTaskAndTheLifetime() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec("team", Map.of("EXTRA", "value"), Duration.ofMinutes(90));

    LaunchedRunner launched = launcher.launch(spec);

    FakeExecution execution = fixture.cloudRun.executions().get(0);
    assertThat(launched.resourceId()).isEqualTo(execution.name())
        .startsWith("projects/oneshot-test/locations/us-central1/jobs/gh-runner/executions/gh-runner-");
    assertThat(execution.environment())
        .containsEntry("ACTIONS_RUNNER_INPUT_JITCONFIG", spec.credential().secret())
        .containsEntry("EXTRA", "value")
        .containsEntry("ONESHOT_IDLE_TIMEOUT", "600s")
        .containsEntry("ONESHOT_OWNER", "team")
        .containsEntry("ONESHOT_RUNNER", spec.runnerName())
        .containsEntry("ONESHOT_LABEL", "batch-1")
        .containsEntry("ONESHOT_EXPIRES", "1767232800")
        .containsEntry("ONESHOT_IDEMPOTENCY_KEY", spec.idempotencyKey());
    assertThat(execution.taskCount()).isEqualTo(1);
    assertThat(execution.timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(launched.tags()).containsAllEntriesOf(spec.tags());
    assertThat(launched.region()).isEqualTo("us-central1");
    assertThat(launched.consoleUrl()).get().asString().isEqualTo("https://console.cloud.google.com/run/jobs/executions/"
        + "details/us-central1/" + execution.id() + "?project=oneshot-test");
    assertThat(fixture.cloudRun.rejectedRequests()).isEmpty();
  }

  @Test
  void theSameKeyFromAnotherLauncherFindsTheExecutionInsteadOfRunningAgain() {
    LaunchSpec spec = spec();
    LaunchedRunner first = fixture.launcher().launch(spec);
    clock.advance(Duration.ofMinutes(5));

    LaunchedRunner again = fixture.launcher().launch(spec);

    assertThat(again.resourceId()).isEqualTo(first.resourceId());
    assertThat(again.tags()).containsAllEntriesOf(spec.tags());
    assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(1);
    assertThat(fixture.cloudRun.callCount("ListExecutions")).isEqualTo(2);
  }

  @Test
  void theSameKeyOnTheSameLauncherCostsNoCall() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec();
    launcher.launch(spec);
    int calls = fixture.cloudRun.calls().size();

    launcher.launch(spec);

    assertThat(fixture.cloudRun.calls()).hasSize(calls);
  }

  @Test
  void cancellingTwiceAndAfterTheEndIsSafe() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec());
    clock.advance(Duration.ofSeconds(15));
    assertThat(launcher.describe(launched).state()).isEqualTo(ContainerState.RUNNING);

    launcher.terminate(launched, "first");
    assertThat(launcher.describe(launched).rawStatus()).isEqualTo("CANCELLING");
    launcher.terminate(launched, "second");
    clock.advance(Duration.ofSeconds(5));
    ContainerStatus done = launcher.describe(launched);
    launcher.terminate(launched, "after the end");

    assertThat(done.rawStatus()).isEqualTo("CANCELLED");
    assertThat(done.failure()).isEmpty();
    assertThat(fixture.cloudRun.execution(launched.resourceId()).orElseThrow().state()).isEqualTo("CANCELLED");
    assertThat(fixture.cloudRun.callCount("CancelExecution")).isEqualTo(3);
    assertThat(fixture.cloudRun.rejectedRequests()).singleElement().asString()
        .startsWith("CancelExecution: FAILED_PRECONDITION");
  }

  @Test
  void listOwnedReadsOwnershipFromTheTemplateAcrossPages() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    for (int i = 0; i < 130; i++) {
      LaunchedRunner launched = launcher.launch(spec(i % 2 == 0 ? "team" : "other", Map.of(), Duration.ofHours(1)));
      if (i % 4 == 0) {
        launcher.terminate(launched, "test");
      }
    }
    clock.advance(Duration.ofMinutes(1));

    List<LaunchedRunner> owned = launcher.listOwned("team");

    assertThat(owned).hasSize(65).allSatisfy(r -> {
      assertThat(r.tag(OwnershipTags.OWNER)).contains("team");
      assertThat(r.tag(OwnershipTags.RUNNER)).isPresent();
      assertThat(r.tag(OwnershipTags.EXPIRES)).contains("1767232800");
    });
    assertThat(launcher.listOwnedRunning("team")).hasSize(32);
    assertThat(launcher.listOwned("nobody")).isEmpty();
  }

  @Test
  void aRunnerPastItsMaxLifetimeIsStoppedByTheTaskTimeout() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec("team", Map.of(), Duration.ofMinutes(2)));

    ContainerStatus status = awaitFinal(launcher, launched);

    assertThat(status.failure()).contains(FailureKind.EXITED);
    assertThat(status.exitCode()).contains(143);
    assertThat(status.reason()).contains("The configured timeout was reached.");
  }

  @Test
  void aLifetimeCloudRunCannotTakeIsRefusedBeforeAnyCall() {
    CloudRunRunnerLauncher launcher = fixture.launcher();

    assertThatThrownBy(() -> launcher.launch(spec("team", Map.of(), Duration.ofDays(8))))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION))
        .hasMessageContaining("1 second to 168 hours");
    assertThat(fixture.cloudRun.callCount("RunJob")).isZero();
  }

  @Test
  void anEnvNameCloudRunReservesIsAConfigurationFailureWithoutTheSecret() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec("team", Map.of("CLOUD_RUN_EXECUTION", "x"), Duration.ofHours(1));

    assertThatThrownBy(() -> launcher.launch(spec))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
          assertThat(e.retryable()).isFalse();
        })
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("reserved env names were provided: CLOUD_RUN_EXECUTION")
        .hasMessageNotContaining(spec.credential().secret());
  }

  @Test
  void permissionDeniedOnRunJobNamesRunWithOverrides() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().permissionDeniedNext("RunJob", 1);

    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.PERMISSION);
          assertThat(e.retryable()).isFalse();
          assertThat(e.backendReason()).isEqualTo("PERMISSION_DENIED");
        })
        .hasMessageContaining("grant run.jobs.runWithOverrides on the job")
        .hasMessageContaining("docs/gcp/oneshot-runner-role.yaml");
  }

  @Test
  void rateLimitsAreRetriedWithBackoffThenThrottled() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().rateLimitNext("RunJob", 2);

    launcher.launch(spec());
    assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(3);

    fixture.cloudRun.faults().rateLimitNext("RunJob", 4);
    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
        })
        .hasMessageContaining("RESOURCE_EXHAUSTED");
    assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(7);
    assertThat(fixture.cloudRun.executions()).hasSize(1);
  }

  @Test
  void anExhaustedResourceQuotaIsCapacity() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().quotaExceededNext("RunJob", 4);

    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CAPACITY);
          assertThat(e.retryable()).isTrue();
        })
        .hasMessageContaining("Quota exceeded for total allowable CPU");
    assertThat(launcher.capabilities().capacityOptions()).isEqualTo(1);
  }

  @Test
  void unavailableOnRunJobIsNotRetriedBlindlyButIsRetryable() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().unavailableNext("RunJob", 1);

    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
        });
    assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(1);
  }

  @Test
  void unavailableReadsAreRetriedThenReportedRetryable() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec());
    fixture.cloudRun.faults().unavailableNext("GetExecution", 2);

    assertThat(launcher.describe(launched).state()).isEqualTo(ContainerState.PENDING);
    assertThat(fixture.cloudRun.callCount("GetExecution")).isEqualTo(3);

    fixture.cloudRun.faults().unavailableNext("GetExecution", 4);
    assertThatThrownBy(() -> launcher.describe(launched))
        .isInstanceOfSatisfying(OneshotException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("UNAVAILABLE");
  }

  @Test
  void permissionDeniedOnReadsNamesThePermission() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec());
    fixture.cloudRun.faults().permissionDeniedNext("GetExecution", 1).permissionDeniedNext("CancelExecution", 1);

    assertThatThrownBy(() -> launcher.describe(launched))
        .isInstanceOfSatisfying(OneshotException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("grant run.executions.get");
    assertThatThrownBy(() -> launcher.terminate(launched, "test"))
        .hasMessageContaining("grant run.executions.cancel");
  }

  @Test
  void startFailuresKeepTheirReasons() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().imageMissingNext(1).noResourcesNext(1);
    LaunchedRunner image = launcher.launch(spec());
    LaunchedRunner resources = launcher.launch(spec());

    ContainerStatus imageStatus = awaitFinal(launcher, image);
    ContainerStatus resourcesStatus = awaitFinal(launcher, resources);

    assertThat(imageStatus.failure()).contains(FailureKind.IMAGE_PULL);
    assertThat(imageStatus.reason()).isEqualTo("Completed: CONTAINER_MISSING: Image '" + CloudRunFixture.IMAGE
        + "' not found.");
    assertThat(imageStatus.exitCode()).isEmpty();
    assertThat(resourcesStatus.failure()).contains(FailureKind.CAPACITY);
    assertThat(resourcesStatus.reason()).contains("Quota exceeded");
    assertThat(fixture.cloudRun.callCount("ListTasks")).as("no exit code to look up").isZero();
  }

  @Test
  void aMissingJobFailsAtCreateNamingTheInput() {
    assertThatThrownBy(() -> fixture.launcher("job", "missing-job"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("job 'missing-job' does not exist in project oneshot-test, region us-central1");
    assertThatThrownBy(() -> fixture.launcher("region", "europe-west1"))
        .hasMessageStartingWith("job 'gh-runner' does not exist in project oneshot-test, region europe-west1");
  }

  @Test
  void anUnreadableJobFailsAtCreateNamingThePermission() {
    fixture.cloudRun.faults().permissionDeniedNext("GetJob", 1);

    assertThatThrownBy(() -> fixture.launcher())
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("job 'gh-runner' could not be read")
        .hasMessageContaining("grant run.jobs.get");
  }

  @Test
  void severalContainersNeedAContainerName() {
    assertThatThrownBy(() -> fixture.launcher("job", "two-containers"))
        .hasMessageContaining("has 2 containers (runner, sidecar); set container to the runner's");
    assertThatThrownBy(() -> fixture.launcher("job", "two-containers", "container", "web"))
        .hasMessageStartingWith("container 'web' is not a container of job two-containers");
    CloudRunRunnerLauncher launcher = fixture.launcher("job", "two-containers", "container", "runner");
    LaunchSpec spec = spec();

    LaunchedRunner launched = launcher.launch(spec);
    clock.advance(Duration.ofSeconds(15));

    assertThat(launcher.containerName()).contains("runner");
    assertThat(launched.tags()).containsAllEntriesOf(spec.tags());
    assertThat(launcher.listOwned("team")).singleElement().satisfies(r -> assertThat(r.tags()).containsAllEntriesOf(spec.tags()));
    assertThat(fixture.cloudRun.runner(launched.resourceId())).isPresent();
  }

  @Test
  void terminatingAGoneExecutionIsSafe() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec());
    fixture.cloudRun.forget(launched.resourceId());

    assertThat(launcher.describe(launched).state()).isEqualTo(ContainerState.GONE);
    assertThatCode(() -> launcher.terminate(launched, "gone")).doesNotThrowAnyException();
  }
}
