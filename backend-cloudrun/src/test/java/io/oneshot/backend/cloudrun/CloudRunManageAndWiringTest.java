package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.run.v2.Container;
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
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.SettingProblem;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Cloud Run launcher for stop, sweep and status (project, region and job only; no GetJob), the
 * {@code container} setting reaching RunJob, and transport failures mapped, with the real client against the
 * fake Cloud Run.
 */
class CloudRunManageAndWiringTest {
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

  private LaunchSpec spec() {
    String name = String.format("run-%08d", ++names);
    return org.jitLaunchSpec(name, List.of("self-hosted", "cloudrun"), Map.of(), 0);
  }

  private RunnerLauncher manageLauncher(String job) {
    return fixture.create(new BackendSettings(Map.of("project", "oneshot-test", "region", "us-central1",
        "job", job), clock, LauncherPurpose.MANAGE));
  }

  @Test
  void theScopeKeyIsProjectRegionAndJobAndAManageLauncherOfTheJobShares() {
    CloudRunRunnerLauncher start = fixture.launcher("job", "two-containers", "container", "runner");

    assertThat(start.scopeKey()).isEqualTo("cloudrun/oneshot-test/us-central1/two-containers");
    assertThat(manageLauncher("two-containers").scopeKey()).isEqualTo(start.scopeKey());
    assertThat(manageLauncher("another-job").scopeKey()).isNotEqualTo(start.scopeKey());
  }

  @Test
  void aManageLauncherFromTheScopeAloneListsDescribesAndCancelsWhatAStartLauncherLaunched() {
    CloudRunRunnerLauncher start = fixture.launcher("job", "two-containers", "container", "runner");
    fixture.cloudRun.faults().runnerCrashOnBootNext(1, 3);
    LaunchedRunner crashed = start.launch(spec());
    LaunchedRunner running = start.launch(spec());
    int getJobsBefore = fixture.cloudRun.callCount("GetJob");

    RunnerLauncher manage = manageLauncher("two-containers");
    ContainerStatus status = manage.describe(crashed);
    for (int i = 0; i < 60 && !status.state().isFinal(); i++) {
      clock.advance(Duration.ofSeconds(5));
      status = manage.describe(crashed);
    }

    assertThat(manage.listOwned("team")).extracting(LaunchedRunner::resourceId)
        .containsExactlyInAnyOrder(crashed.resourceId(), running.resourceId());
    assertThat(manage.listOwned("team")).allSatisfy(r -> assertThat(r.tags()).containsEntry(OwnershipTags.OWNER,
        "team"));
    assertThat(status.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(status.failure()).contains(FailureKind.EXITED);
    assertThat(status.exitCode()).contains(3);
    assertThat(manage.describe(running).state()).isIn(ContainerState.RUNNING, ContainerState.PENDING);
    manage.terminate(running, "stop step");
    manage.terminate(running, "stop step again");
    assertThat(manage.describe(running).state()).isEqualTo(ContainerState.STOPPED);
    assertThat(fixture.cloudRun.callCount("GetJob")).isEqualTo(getJobsBefore);
    assertThatThrownBy(() -> manage.launch(spec())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stop/sweep/status");
  }

  @Test
  void aManageLauncherChecksOnlyTheScopeAndReadsNoJob() {
    assertThatThrownBy(() -> fixture.create(new BackendSettings(Map.of("region", "moon", "job",
        "gh-runner", "container", "NOT VALID"), clock, LauncherPurpose.MANAGE)))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("project", "region"));
    manageLauncher("no-such-job").close();
    assertThat(fixture.cloudRun.callCount("GetJob")).isZero();
  }

  @Test
  void containerNamesTheOverriddenContainer() throws Exception {
    CloudRunRunnerLauncher launcher = fixture.launcher("job", "two-containers", "container", "sidecar");

    LaunchedRunner launched = launcher.launch(spec());

    List<Container> containers = fixture.readExecution(launched.resourceId()).getTemplate().getContainersList();
    assertThat(containers).filteredOn(c -> c.getEnvList().stream()
            .anyMatch(v -> v.getName().equals("ACTIONS_RUNNER_INPUT_JITCONFIG")))
        .extracting(Container::getName).containsExactly("sidecar");
    assertThat(fixture.cloudRun.rejectedRequests()).isEmpty();
  }

  @Test
  void aProjectFromTheEnvironmentSaysWhereItCameFrom() {
    assertThatThrownBy(() -> CloudRunSettings.parse(BackendSettings.of(Map.of("region", "us-central1", "job", "j")),
        Map.of("GOOGLE_CLOUD_PROJECT", "Bad_Project")))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details()).containsExactly(
            new SettingProblem("project", "project 'Bad_Project' (from GOOGLE_CLOUD_PROJECT, its default) is not a"
                + " project id; use 6 to 30 lower-case letters, digits and hyphens starting with a letter, for"
                + " example my-project-123")));
  }

  @Test
  void aDeadlineExceededRunJobIsAThrottledRetryableLaunchFailure() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().deadlineExceededNext("RunJob", 1);

    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
        });
  }

  @Test
  void aConnectionResetAtLaunchIsAThrottledRetryableLaunchFailure() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().connectionResetNext("ListExecutions", 10);

    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("Connection reset");
        });
  }

  @Test
  void transportFailuresInDescribeCancelAndListAreRetryable() {
    LaunchedRunner launched = fixture.launcher().launch(spec());
    RunnerLauncher manage = manageLauncher("gh-runner");

    fixture.cloudRun.faults().connectionResetNext("GetExecution", 10);
    assertRetryable(() -> manage.describe(launched), "GetExecution");
    fixture.cloudRun.faults().reset();
    fixture.cloudRun.faults().deadlineExceededNext("CancelExecution", 10);
    assertRetryable(() -> manage.terminate(launched, "stop"), "CancelExecution");
    fixture.cloudRun.faults().reset();
    fixture.cloudRun.faults().connectionResetNext("ListExecutions", 10);
    assertRetryable(() -> manage.listOwned("team"), "ListExecutions");
  }

  @Test
  void aDeadlineExceededGetJobAtCreateIsRetryable() {
    fixture.cloudRun.faults().deadlineExceededNext("GetJob", 10);

    assertRetryable(fixture::launcher, "GetJob");
  }

  private static void assertRetryable(Runnable call, String rpc) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OneshotException.class, e -> {
      assertThat(e).isNotInstanceOf(InvalidSettingsException.class);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains(rpc);
    });
  }
}
