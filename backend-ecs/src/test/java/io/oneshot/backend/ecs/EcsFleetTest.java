package io.oneshot.backend.ecs;

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
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole fleet on ECS: runners online through real SDK calls to the fake ECS, then stopped. */
class EcsFleetTest {
  private final GitHubOrg org = new GitHubOrg("octo", 2);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final EcsFixture fixture = new EcsFixture(github, clock);

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
  void tenRunnersComeOnlineAndStopLeavingNothing() {
    try (RunnerLauncher launcher = fixture.launcher()) {
      RunnerFleet fleet = fleet(launcher);

      BatchResult batch = fleet.start(FleetRequest.builder("team").prefix("ecs").count(10).build());
      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(10);
      assertThat(github.runners("orgs/octo")).hasSize(10).allMatch(r -> r.online());
      assertThat(batch.runners()).allSatisfy(r -> {
        assertThat(r.container().orElseThrow().resourceId()).startsWith("arn:aws:ecs:");
        assertThat(r.container().orElseThrow().privateIp()).as("the ENI's IP, learned while waiting").isPresent();
      });

      StopReport stop = fleet.stop("team", batch.batchLabel(), false);
      clock.advance(Duration.ofMinutes(1));

      assertThat(stop.runners()).hasSize(10);
      assertThat(github.runners("orgs/octo")).isEmpty();
      assertThat(fixture.ecs.tasks()).hasSize(10).allMatch(t -> t.lastStatus().equals("STOPPED"));
      assertThat(fixture.ecs.rejectedRequests()).isEmpty();
    }
  }

  @Test
  void spotWithoutCapacityFallsBackToFargateWithAFreshJit() {
    fixture.ecs.faults().noCapacityOn("FARGATE_SPOT");
    try (RunnerLauncher launcher = fixture.launcher("capacity-providers", "FARGATE_SPOT,FARGATE")) {
      BatchResult batch = fleet(launcher).start(FleetRequest.builder("team").prefix("ecs").count(2).build());

      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(2).allMatch(r -> r.attempts() == 2);
      assertThat(fixture.ecs.tasks()).hasSize(2).extracting(FakeTask::capacityProviderName)
          .containsOnly(java.util.Optional.of("FARGATE"));
      assertThat(fixture.ecs.callCount("RunTask")).isEqualTo(4);
      assertThat(github.runners("orgs/octo")).hasSize(2);
    }
  }

  @Test
  void anImagePullFailureIsReportedAndNotRetried() {
    fixture.ecs.faults().imagePullFailureNext(1);
    try (RunnerLauncher launcher = fixture.launcher()) {
      BatchResult batch = fleet(launcher).start(FleetRequest.builder("team").prefix("ecs").count(1).build());

      assertThat(batch.runners().get(0).kind()).isEqualTo(OutcomeKind.FAILED);
      assertThat(batch.runners().get(0).reason()).contains("CannotPullContainerError");
      assertThat(fixture.ecs.callCount("RunTask")).isEqualTo(1);
      assertThat(github.runners("orgs/octo")).isEmpty();
    }
  }
}
