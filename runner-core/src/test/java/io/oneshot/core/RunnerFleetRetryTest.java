package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.FailureKind;
import io.oneshot.spi.RunnerExitCodes;
import io.oneshot.spi.Sleeper;
import io.oneshot.fakes.github.FakeRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries back off, a refused JIT config gets one fresh try, and a runner busy at the deadline is never killed. */
class RunnerFleetRetryTest {
  private final FleetFixture fixture = new FleetFixture();
  private final List<Duration> launchThreadSleeps = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  private RunnerFleet fleetSleepingWith(Sleeper sleeper) {
    return new RunnerFleet(fixture.client, fixture.launcher, fixture.options().withClock(fixture.clock, sleeper));
  }

  private Sleeper recordingLaunchThreadSleeps() {
    return duration -> {
      if (Thread.currentThread().getName().startsWith("oneshot-fleet")) {
        launchThreadSleeps.add(duration);
      }
      fixture.clock.sleeper().sleep(duration);
    };
  }

  @Test
  void launchRetriesWaitAnExponentialJitteredBackoff() {
    fixture.launcher.faults().refuseCapacity(2);

    BatchResult batch = fleetSleepingWith(recordingLaunchThreadSleeps()).start(fixture.request().count(1).build());

    RunnerOutcome runner = batch.runners().get(0);
    assertThat(runner.kind()).isEqualTo(OutcomeKind.ONLINE);
    assertThat(runner.attempts()).isEqualTo(3);
    assertThat(launchThreadSleeps).hasSize(2);
    assertThat(launchThreadSleeps.get(0)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
    assertThat(launchThreadSleeps.get(1)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
    assertThat(fixture.events).filteredOn(e -> e.phase() == FleetPhase.RETRYING).hasSize(2)
        .allMatch(e -> e.detail().matches(".* in [0-9]+(s|ms|s[0-9]+ms)$"));
  }

  @Test
  void aRefusedJitConfigOnTheFirstAttemptIsRetriedOnceWithAFreshOne() {
    fixture.launcher.faults().crashBeforeOnline(1, RunnerExitCodes.NO_JOB);

    RunnerOutcome runner = fixture.fleet.start(fixture.request().count(1).build()).runners().get(0);

    assertThat(runner.kind()).isEqualTo(OutcomeKind.ONLINE);
    assertThat(runner.attempts()).isEqualTo(2);
    assertThat(fixture.launcher.launchRequests()).extracting(s -> s.credential().secret()).doesNotHaveDuplicates();
    assertThat(fixture.events).anyMatch(e -> e.phase() == FleetPhase.RETRYING && e.detail().contains("exit code 4"));
  }

  @Test
  void aRefusedJitConfigTwiceIsNotRetriedAgain() {
    fixture.launcher.faults().crashBeforeOnline(2, RunnerExitCodes.NO_JOB);

    RunnerOutcome runner = fixture.fleet.start(fixture.request().count(1).build()).runners().get(0);

    assertThat(runner.kind()).isEqualTo(OutcomeKind.FAILED);
    assertThat(runner.failure()).contains(FailureKind.EXITED);
    assertThat(runner.attempts()).isEqualTo(2);
    assertThat(fixture.registrations()).isEmpty();
  }

  @Test
  void aRunnerThatTakesAJobRightAtTheDeadlineIsLeftRunningAndCountsOnline() {
    fixture.launcher.faults().neverOnline(1);
    Instant deadline = fixture.clock.instant().plus(Duration.ofSeconds(30));
    AtomicBoolean tookJob = new AtomicBoolean();
    Sleeper sleeper = duration -> {
      fixture.clock.sleeper().sleep(duration);
      if (!fixture.clock.instant().isBefore(deadline) && tookJob.compareAndSet(false, true)) {
        // Between the last poll and the timeout: the runner connects and picks up a job; GitHub's
        // last list call fails, so only the delete's 422 tells.
        FakeRunner runner = fixture.github.connectJit(fixture.launcher.launchRequests().get(0).credential().secret());
        fixture.github.startJob(FleetFixture.SCOPE, runner.id());
        fixture.github.faults().failNext("actions/list-self-hosted-runners-for-org", 503, 6);
      }
    };

    BatchResult batch = fleetSleepingWith(sleeper).start(fixture.request().count(1)
        .onlineTimeout(Duration.ofSeconds(30)).build());

    RunnerOutcome runner = batch.runners().get(0);
    assertThat(tookJob).isTrue();
    assertThat(runner.kind()).isEqualTo(OutcomeKind.ONLINE);
    assertThat(fixture.registrations()).singleElement().satisfies(r -> assertThat(r.busy()).isTrue());
    assertThat(fixture.launcher.liveContainers()).containsExactly(runner.container().orElseThrow());
    assertThat(fixture.events).noneMatch(e -> e.phase() == FleetPhase.TIMED_OUT || e.phase() == FleetPhase.TERMINATED);
  }

  @Test
  void aRunnerTakenByAJobBeforeTheBatchIsHandedOutIsLeftToItAndReplaced() {
    fixture.launcher.faults().neverOnline(1);
    AtomicBoolean taken = new AtomicBoolean();
    Sleeper sleeper = duration -> {
      fixture.clock.sleeper().sleep(duration);
      if (!fixture.launcher.launchRequests().isEmpty() && taken.compareAndSet(false, true)) {
        // Another job (not the batch's: its label is not handed out yet) connects first and takes the runner.
        FakeRunner runner = fixture.github.connectJit(fixture.launcher.launchRequests().get(0).credential().secret());
        fixture.github.startJob(FleetFixture.SCOPE, runner.id());
      }
    };

    BatchResult batch = fleetSleepingWith(sleeper).start(fixture.request().count(1).replaceTakenRunners(true)
        .build());

    assertThat(taken).isTrue();
    RunnerOutcome runner = batch.runners().get(0);
    assertThat(runner.kind()).isEqualTo(OutcomeKind.ONLINE);
    assertThat(runner.attempts()).as("a fresh runner replaced the taken one").isEqualTo(2);
    assertThat(fixture.launcher.launchRequests()).hasSize(2);
    assertThat(fixture.registrations()).hasSize(2).anySatisfy(r -> assertThat(r.busy()).isTrue());
    assertThat(fixture.launcher.liveContainers()).as("the taken runner is never stopped under its job").hasSize(2);
  }

  @Test
  void withoutReplacementABusyRunnerCountsOnlineAsBefore() {
    fixture.launcher.faults().neverOnline(1);
    AtomicBoolean taken = new AtomicBoolean();
    Sleeper sleeper = duration -> {
      fixture.clock.sleeper().sleep(duration);
      if (!fixture.launcher.launchRequests().isEmpty() && taken.compareAndSet(false, true)) {
        FakeRunner runner = fixture.github.connectJit(fixture.launcher.launchRequests().get(0).credential().secret());
        fixture.github.startJob(FleetFixture.SCOPE, runner.id());
      }
    };

    BatchResult batch = fleetSleepingWith(sleeper).start(fixture.request().count(1).build());

    assertThat(batch.runners().get(0).kind()).isEqualTo(OutcomeKind.ONLINE);
    assertThat(batch.runners().get(0).attempts()).isEqualTo(1);
    assertThat(fixture.launcher.launchRequests()).hasSize(1);
  }
}
