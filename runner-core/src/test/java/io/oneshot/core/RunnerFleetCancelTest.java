package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.fakes.github.FakeRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancelling a start (a shutdown hook) or interrupting its thread leaves nothing but busy runners. */
class RunnerFleetCancelTest {
  private final FleetFixture fixture = new FleetFixture();
  private final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    caller.shutdownNow();
    fixture.close();
  }

  private RunnerFleet fleetWith(FleetListener listener) {
    return new RunnerFleet(fixture.client, fixture.launcher, fixture.options().withListener(listener));
  }

  private static StartCancelledException cancelledBy(Future<BatchResult> start) throws InterruptedException {
    try {
      start.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StartCancelledException.class);
      return (StartCancelledException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the start did not end", e);
    }
    throw new AssertionError("the start was not cancelled");
  }

  private LaunchedRunner containerOf(String runnerName) {
    return fixture.launcher.containers().stream()
        .filter(c -> c.tag(OwnershipTags.RUNNER).filter(runnerName::equals).isPresent()).findFirst().orElseThrow();
  }

  @Test
  void cancellingWhileContainersBootLeavesNothingRegisteredOrRunning() throws Exception {
    FleetGate gate = new FleetGate(e -> e.phase() == FleetPhase.RUNNING);
    StartCancellation cancellation = new StartCancellation();
    Future<BatchResult> start = caller.submit(() -> fleetWith(gate).start(fixture.request().count(3).build(),
        cancellation));
    gate.awaitReached();
    assertThat(fixture.registrations()).hasSize(3);

    long cancelledAt = System.nanoTime();
    cancellation.cancel();
    gate.release();
    StartCancelledException cancelled = cancelledBy(start);

    assertThat(FleetGate.realTime(cancelledAt)).isLessThan(Duration.ofSeconds(3));
    assertThat(cancelled.batchLabel()).matches("dev-[a-z0-9]{16}");
    assertThat(cancelled.runners()).hasSize(3).extracting(StoppedRunner::action).containsOnly(StopAction.STOPPED);
    assertThat(cancelled.getMessage()).contains(cancelled.batchLabel()).contains("3 stopped");
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
    assertThat(fixture.events).anyMatch(e -> e.phase() == FleetPhase.CANCELLED
        && e.runnerName().equals(cancelled.batchLabel()));
    assertThat(cancellation.cancelAndAwait(Duration.ofMillis(10))).isTrue();
  }

  @Test
  void aCancelWakesARealSleepAtOnce() throws Exception {
    // Real time and real sleeping: the fake cloud's clock stands still, so the containers stay pending
    // and the fleet sleeps its 5 s poll interval for real unless the cancel wakes it.
    FleetGate launched = new FleetGate(e -> e.phase() == FleetPhase.LAUNCHED);
    launched.release();
    RunnerFleet fleet = new RunnerFleet(fixture.client, fixture.launcher, FleetOptions.defaults()
        .withRandom(new java.util.Random(17)).withPolling(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withListener(launched));
    StartCancellation cancellation = new StartCancellation();
    Future<BatchResult> start = caller.submit(() -> fleet.start(fixture.request().count(1).build(), cancellation));
    launched.awaitReached();
    Thread.sleep(50); // let it fall asleep

    long cancelledAt = System.nanoTime();
    assertThat(cancellation.cancelAndAwait(Duration.ofSeconds(3))).isTrue();

    assertThat(FleetGate.realTime(cancelledAt)).isLessThan(Duration.ofSeconds(1));
    assertThat(cancelledBy(start).runners()).singleElement()
        .satisfies(r -> assertThat(r.action()).isEqualTo(StopAction.STOPPED));
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void aRunnerBusyAtCancelTimeIsLeftAloneAndReported() throws Exception {
    fixture.launcher.faults().neverOnline(1);
    AtomicReference<String> busy = new AtomicReference<>();
    FleetGate gate = new FleetGate(e -> e.phase() == FleetPhase.ONLINE, online -> {
      busy.set(online.runnerName());
      fixture.launcher.runner(containerOf(online.runnerName()).resourceId()).orElseThrow().acceptJob();
    });
    StartCancellation cancellation = new StartCancellation();
    Future<BatchResult> start = caller.submit(() -> fleetWith(gate).start(fixture.request().count(2).build(),
        cancellation));
    gate.awaitReached();

    cancellation.cancel();
    gate.release();
    StartCancelledException cancelled = cancelledBy(start);

    assertThat(cancelled.cleanup().leftBusy()).extracting(StoppedRunner::runnerName).containsExactly(busy.get());
    assertThat(cancelled.cleanup().withAction(StopAction.STOPPED)).hasSize(1);
    assertThat(fixture.registrations()).extracting(FakeRunner::name).containsExactly(busy.get());
    assertThat(fixture.registrations().get(0).busy()).isTrue();
    assertThat(fixture.launcher.liveContainers()).containsExactly(containerOf(busy.get()));
  }

  @Test
  void anInterruptedCallerThreadCleansUpAndKeepsItsInterruptFlag() throws Exception {
    FleetGate gate = new FleetGate(e -> e.phase() == FleetPhase.RUNNING);
    RunnerFleet fleet = fleetWith(gate);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    Future<?> start = caller.submit(() -> {
      try {
        fleet.start(fixture.request().count(3).build());
      } catch (RuntimeException e) {
        thrown.set(e);
        flagAfter.set(Thread.currentThread().isInterrupted());
      } finally {
        ended.countDown();
      }
    });
    gate.awaitReached();

    start.cancel(true);
    gate.release();
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(thrown.get()).isInstanceOf(StartCancelledException.class);
    assertThat(((StartCancelledException) thrown.get()).runners()).hasSize(3)
        .extracting(StoppedRunner::action).containsOnly(StopAction.STOPPED);
    assertThat(flagAfter.get()).as("the interrupt flag is restored for the caller").isTrue();
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void cleanupThatDoesNotFinishWithinTheBudgetSaysSo() throws Exception {
    FleetGate gate = new FleetGate(e -> e.phase() == FleetPhase.RUNNING,
        e -> fixture.github.faults().latency(Duration.ofMillis(300)));
    RunnerFleet fleet = new RunnerFleet(fixture.client, fixture.launcher,
        fixture.options().withListener(gate).withCancelBudget(Duration.ofMillis(100)));
    StartCancellation cancellation = new StartCancellation();
    Future<BatchResult> start = caller.submit(() -> fleet.start(fixture.request().count(2).build(), cancellation));
    gate.awaitReached();

    long cancelledAt = System.nanoTime();
    cancellation.cancel();
    gate.release();
    StartCancelledException cancelled = cancelledBy(start);

    assertThat(FleetGate.realTime(cancelledAt)).isLessThan(Duration.ofMillis(1500));
    assertThat(cancelled.runners()).hasSize(2).extracting(StoppedRunner::action)
        .containsOnly(StopAction.NOT_FINISHED);
    assertThat(cancelled.runners().get(0).detail()).contains("not finished within 100ms");
  }

  @Test
  void aStartCancelledBeforeItBeginsCreatesNothing() {
    StartCancellation cancellation = new StartCancellation();
    cancellation.cancel();

    assertThatThrownBy(() -> fixture.fleet.start(fixture.request().count(2).build(), cancellation))
        .isInstanceOfSatisfying(StartCancelledException.class, e -> assertThat(e.runners()).isEmpty());
    assertThat(fixture.github.callCount()).isZero();
    assertThat(fixture.launcher.launchRequests()).isEmpty();
  }

  @Test
  void aTokenServesOneStart() {
    StartCancellation cancellation = new StartCancellation();
    fixture.fleet.start(fixture.request().count(1).build(), cancellation);

    cancellation.cancel();

    assertThat(fixture.registrations()).hasSize(1).allMatch(FakeRunner::online);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThatThrownBy(() -> fixture.fleet.start(fixture.request().build(), cancellation))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theBatchLabelIsPlannedBeforeAnyRegistration() {
    List<Integer> jitCallsAtPlanned = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunnerFleet fleet = fleetWith(e -> {
      if (e.phase() == FleetPhase.PLANNED) {
        jitCallsAtPlanned.add(fixture.github.callCount("actions/generate-runner-jitconfig-for-org"));
      }
    });

    BatchResult batch = fleet.start(fixture.request().count(2).build());

    assertThat(jitCallsAtPlanned).containsExactly(0);
    assertThat(fixture.events.get(0).phase()).isEqualTo(FleetPhase.PLANNED);
    assertThat(fixture.events.get(0).runnerName()).isEqualTo(batch.batchLabel());
  }
}
