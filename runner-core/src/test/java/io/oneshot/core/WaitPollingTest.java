package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.RecordedCall;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wait loop's cadence and its GitHub cost per round, read from the sleeps it asks for (on a test clock) and
 * the requests the fake GitHub received; nothing here is timed.
 */
class WaitPollingTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(13).build();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  /** Per wait round (one per sleep, plus the last): GitHub list requests, noted when the loop sleeps. */
  private final List<Integer> listsPerRound = new ArrayList<>();
  private int listsSoFar;

  @AfterEach
  void close() {
    github.close();
  }

  private RunnerFleet fleet(InMemoryLauncher launcher, String org) {
    github.addOrganization(org);
    Sleeper recording = duration -> {
      sleeps.add(duration);
      int lists = listCalls();
      listsPerRound.add(lists - listsSoFar);
      listsSoFar = lists;
      clock.sleeper().sleep(duration);
    };
    GitHubClient client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization(org))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(9)).build();
    return new RunnerFleet(client, launcher, FleetOptions.defaults().withClock(clock, recording)
        .withRandom(new Random(17)));
  }

  private int listCalls() {
    return (int) github.calls().stream().map(RecordedCall::operationId)
        .filter(op -> op != null && op.startsWith("actions/list-self-hosted-runners")).count();
  }

  @Test
  void pollsEveryQuarterSecondAfterTheLaunchAndStopsTheMomentItsRunnerIsOnline() {
    // Pending 1 s, online 0.6 s after it runs.
    InMemoryLauncher launcher = new InMemoryLauncher(github, Duration.ofSeconds(1), Duration.ofMillis(600), 1);
    RunnerFleet fleet = fleet(launcher, "octo");

    BatchResult batch = fleet.start(FleetRequest.builder("octo-team").prefix("dev").count(1).build());

    assertThat(batch.succeeded()).isTrue();
    // 250 ms from the launch: running seen at 1 s, online at 1.6 s, seen at 1.75 s, with no sleep after it.
    assertThat(sleeps).extracting(Duration::toMillis).containsExactly(250L, 250L, 250L, 250L, 250L, 250L, 250L);
  }

  @Test
  void aLongPendingContainerIsLookedAtLessOftenUntilItRuns() {
    // Pending 20 s: 5 s of 250 ms polls, then growing by half up to 3 s; once it runs, 250 ms again.
    InMemoryLauncher launcher = new InMemoryLauncher(github, Duration.ofSeconds(20), Duration.ofSeconds(5), 1);
    RunnerFleet fleet = fleet(launcher, "octo");

    assertThat(fleet.start(FleetRequest.builder("octo-team").prefix("dev").count(1).build()).succeeded()).isTrue();

    List<Long> millis = sleeps.stream().map(Duration::toMillis).toList();
    assertThat(millis.subList(0, 20)).containsOnly(250L);
    assertThat(millis.subList(20, 26)).containsExactly(375L, 562L, 843L, 1264L, 1896L, 2844L);
    assertThat(millis.get(millis.size() - 1)).isEqualTo(250L);
    assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(3000L));
  }

  @Test
  void backsOffAfterTheFastPhaseWhenTheRunnerTakesLonger() {
    // Online 8 s after it runs: 5 s of 250 ms polls, then backing off towards the 3 s cap.
    InMemoryLauncher launcher = new InMemoryLauncher(github, Duration.ZERO, Duration.ofSeconds(8), 1);
    RunnerFleet fleet = fleet(launcher, "octo");

    BatchResult batch = fleet.start(FleetRequest.builder("octo-team").prefix("dev").count(1).build());

    assertThat(batch.succeeded()).isTrue();
    List<Long> millis = sleeps.stream().map(Duration::toMillis).toList();
    assertThat(millis.subList(0, 20)).containsOnly(250L);
    // Then growing by half from 375 ms, never below the fair share of the fake's 5,000 an hour (724 ms), up to 3 s.
    List<Long> later = millis.subList(20, millis.size());
    assertThat(later).containsExactly(724L, 724L, 843L, 1264L);
    assertThat(later).allSatisfy(ms -> assertThat(ms).isBetween(375L, 3000L));
  }

  @Test
  void aSmallBatchAmongAThousandRunnersCostsOneNamedLookupPerRunnerAndRound() {
    String scope = "orgs/big";
    InMemoryLauncher launcher = new InMemoryLauncher(github, Duration.ofMillis(500), Duration.ofMillis(700), 1);
    RunnerFleet fleet = fleet(launcher, "big");
    String token = github.createRegistrationToken(scope);
    for (int i = 0; i < 1000; i++) {
      github.configureWithToken(token, "other-" + i, List.of("other"), "Default", false);
    }

    BatchResult batch = fleet.start(FleetRequest.builder("octo-team").prefix("dev").count(5).build());

    assertThat(batch.succeeded()).isTrue();
    listsPerRound.add(listCalls() - listsSoFar);
    // Listing all 1,005 runners would be 11 pages a round.
    assertThat(listsPerRound).allSatisfy(calls -> assertThat(calls).isLessThanOrEqualTo(5));
    assertThat(listsPerRound.stream().mapToInt(Integer::intValue).sum()).isPositive();
  }

  @Test
  void aLargeBatchListsTheScopeOnceARound() {
    InMemoryLauncher launcher = new InMemoryLauncher(github, Duration.ofMillis(500), Duration.ofMillis(700), 1);
    RunnerFleet fleet = fleet(launcher, "octo");

    BatchResult batch = fleet.start(FleetRequest.builder("octo-team").prefix("dev").count(20).build());

    assertThat(batch.succeeded()).isTrue();
    listsPerRound.add(listCalls() - listsSoFar);
    assertThat(listsPerRound).allSatisfy(calls -> assertThat(calls).isLessThanOrEqualTo(1));
  }
}
