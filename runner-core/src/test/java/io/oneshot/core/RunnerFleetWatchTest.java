package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import io.oneshot.spi.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Watching costs one batched cloud look per round, for the wait loop and for the sweep. */
class RunnerFleetWatchTest {
  private final FleetFixture fixture = new FleetFixture();
  private final Instant start = fixture.clock.instant();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void eachPollRoundDescribesTheWholeBatchWithOneCall() {
    AtomicInteger sleeps = new AtomicInteger();
    Sleeper counting = duration -> {
      sleeps.incrementAndGet();
      fixture.clock.sleeper().sleep(duration);
    };
    RunnerFleet fleet = RunnerFleet.builder().github(fixture.client).launcher(fixture.launcher)
        .options(fixture.options()).sleeper(counting).build();

    BatchResult batch = fleet.start(fixture.request().count(5).build());

    assertThat(batch.runners()).allMatch(r -> r.kind() == OutcomeKind.ONLINE);
    assertThat(fixture.launcher.describeCalls()).isZero();
    // Every round but the last sleeps once; the last ends the moment every runner is online. Pending 2 s, then
    // online 3 s later, looked at every 250 ms: about 21 rounds.
    assertThat(fixture.launcher.describeAllCalls()).isEqualTo(sleeps.get() + 1).isBetween(3, 25);
  }

  @Test
  void aFailingBatchedLookIsNoAnswerThisRoundForEveryRunner() {
    fixture.launcher.failNextDescribeAll(2);

    BatchResult batch = fixture.fleet.start(fixture.request().count(3).build());

    assertThat(batch.runners()).allSatisfy(r -> {
      assertThat(r.kind()).isEqualTo(OutcomeKind.ONLINE);
      assertThat(r.attempts()).isEqualTo(1);
    });
    assertThat(fixture.launcher.describeAllCalls()).isGreaterThan(2);
    assertThat(fixture.launcher.describeCalls()).isZero();
    assertThat(fixture.events).noneMatch(e -> e.phase() == FleetPhase.FAILED || e.phase() == FleetPhase.RETRYING);
  }

  @Test
  void aCloudThatNeverAnswersEndsAtTheDeadlineWithEveryRunnerReleased() {
    fixture.launcher.failNextDescribeAll(Integer.MAX_VALUE);

    BatchResult batch = fixture.fleet.start(fixture.request().count(2).onlineTimeout(Duration.ofSeconds(30))
        .build());

    // The in-memory containers only move on when looked at, so no runner ever comes online here.
    assertThat(batch.runners()).allSatisfy(r -> {
      assertThat(r.kind()).isEqualTo(OutcomeKind.TIMED_OUT);
      assertThat(r.reason()).contains("not online within 30 s");
    });
    assertThat(fixture.clock.instant()).isEqualTo(start.plusSeconds(30));
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.terminateCalls()).isEqualTo(2);
    assertThat(fixture.launcher.describeCalls()).isZero();
  }

  @Test
  void theSweepLooksAtEveryOwnedContainerWithOneCall() {
    fixture.fleet.start(fixture.request().count(4).waitForOnline(false).build());
    fixture.fleet.start(fixture.request().count(3).waitForOnline(false).build());
    fixture.clock.advance(Duration.ofMinutes(1));
    int before = fixture.launcher.describeAllCalls();

    SweepReport report = fixture.fleet.sweep(FleetFixture.OWNER, "dev");

    assertThat(report.containersSeen()).isEqualTo(7);
    assertThat(fixture.launcher.describeAllCalls() - before).isEqualTo(1);
    assertThat(fixture.launcher.describeCalls()).isZero();
  }
}
