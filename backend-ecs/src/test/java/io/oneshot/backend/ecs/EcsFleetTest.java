package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetOptions;
import io.oneshot.core.FleetRequest;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.StopReport;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.TestClock;
import io.oneshot.testkit.ecs.FakeTask;
import io.oneshot.testkit.github.FakeGitHub;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole fleet on ECS: runners online through real SDK calls to the fake ECS, then stopped. */
class EcsFleetTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(2).build();
  private final EcsFixture fixture = new EcsFixture(github, clock);
  private final GitHubClient client;

  EcsFleetTest() {
    github.addOrganization("octo");
    client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper()).build();
  }

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      github.close();
    }
  }

  private RunnerFleet fleet(RunnerLauncher launcher) {
    return new RunnerFleet(client, launcher,
        FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(4)));
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
