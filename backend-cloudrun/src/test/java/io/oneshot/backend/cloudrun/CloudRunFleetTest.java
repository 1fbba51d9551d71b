package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetRequest;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.StopReport;
import io.oneshot.github.GitHubClient;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.cloudrun.FakeExecution;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole fleet on Cloud Run: runners online through real client calls to the fake, then stopped. */
class CloudRunFleetTest {
  private final GitHubOrg org = new GitHubOrg("octo", 2);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final CloudRunFixture fixture = new CloudRunFixture(github, clock);

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private RunnerFleet fleet(RunnerLauncher launcher) {
    return org.fleet(launcher, 4);
  }

  @Test
  void tenRunnersComeOnlineAndStopLeavingNothingRunning() {
    try (RunnerLauncher launcher = fixture.launcher()) {
      RunnerFleet fleet = fleet(launcher);

      BatchResult batch = fleet.start(FleetRequest.builder("team").prefix("gcr").count(10).build());
      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(10);
      assertThat(github.runners("orgs/octo")).hasSize(10).allMatch(r -> r.online());
      assertThat(batch.runners()).allSatisfy(r -> assertThat(r.container().orElseThrow().resourceId())
          .startsWith("projects/oneshot-test/locations/us-central1/jobs/gh-runner/executions/"));

      StopReport stop = fleet.stop("team", batch.batchLabel(), false);
      clock.advance(Duration.ofMinutes(1));

      assertThat(stop.runners()).hasSize(10);
      assertThat(github.runners("orgs/octo")).isEmpty();
      assertThat(fixture.cloudRun.executions()).hasSize(10).allMatch(FakeExecution::finished);
      assertThat(fixture.cloudRun.callCount("GetOperation")).isZero();
      // Deregistered first, an idle runner exits on its own; cancelling its finished execution is refused,
      // which terminate takes as done.
      assertThat(fixture.cloudRun.rejectedRequests()).allSatisfy(r -> assertThat(r)
          .startsWith("CancelExecution: FAILED_PRECONDITION").contains("has already completed"));
    }
  }

  @Test
  void anImageFailureIsReportedAndNotRetried() {
    fixture.cloudRun.faults().imageMissingNext(1);
    try (RunnerLauncher launcher = fixture.launcher()) {
      BatchResult batch = fleet(launcher).start(FleetRequest.builder("team").prefix("gcr").count(1).build());

      assertThat(batch.runners().get(0).kind()).isEqualTo(OutcomeKind.FAILED);
      assertThat(batch.runners().get(0).reason()).contains("CONTAINER_MISSING");
      assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(1);
      assertThat(github.runners("orgs/octo")).isEmpty();
    }
  }

  @Test
  void noResourcesIsRetriedWithAFreshJitOnTheSameJob() {
    fixture.cloudRun.faults().noResourcesNext(1);
    try (RunnerLauncher launcher = fixture.launcher()) {
      BatchResult batch = fleet(launcher).start(FleetRequest.builder("team").prefix("gcr").count(1).build());

      assertThat(batch.withKind(OutcomeKind.ONLINE)).singleElement().satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
      assertThat(fixture.cloudRun.callCount("RunJob")).isEqualTo(2);
    }
  }
}
