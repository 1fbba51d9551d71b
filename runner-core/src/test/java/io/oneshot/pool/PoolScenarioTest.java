package io.oneshot.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scenarios, each against the fake scale-set service with simulated runners doing the jobs. */
class PoolScenarioTest {
  private static final Duration TICK = Duration.ofSeconds(5);
  private PoolFixture fx = new PoolFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  private void assertNothingLeft() {
    assertThat(fx.launcher.liveContainers()).as("containers still running").isEmpty();
    assertThat(fx.scaleSetClient().listRunners(fx.scaleSetId())).as("registrations left").isEmpty();
    assertThat(fx.service.jobsIn(JobState.AVAILABLE) + fx.service.jobsIn(JobState.ASSIGNED)
        + fx.service.jobsIn(JobState.RUNNING)).as("jobs not done").isZero();
  }

  @Test
  void coldStartWithABacklogRunsEveryJobAndScalesToZero() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    long[] jobs = fx.enqueue(5); // queued while nobody listened
    fx.run(loop, 30, TICK);
    assertThat(Arrays.stream(jobs).mapToObj(fx.service::jobState)).containsOnly(JobState.COMPLETED);
    assertThat(fx.launcher.launchRequests()).hasSize(5);
    assertThat(fx.recorder.waits).hasSize(5).allSatisfy(wait -> assertThat(wait).isLessThan(Duration.ofSeconds(30)));
    assertThat(fx.recorder.lastDesired).isZero();
    assertNothingLeft();
  }

  @Test
  void sixtyJobsAssignedAtOnceGetSixtyRunnersAndNoMore() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO); // takes the session
    long[] jobs = fx.enqueue(60); // two message batches: 50 and 10
    fx.run(loop, 40, TICK);
    assertThat(Arrays.stream(jobs).mapToObj(fx.service::jobState)).containsOnly(JobState.COMPLETED);
    assertThat(fx.launcher.launchRequests()).hasSize(60);
    assertThat(fx.launcher.launchRequests().stream().map(LaunchSpec::idempotencyKey).distinct()).hasSize(60);
    assertNothingLeft();
  }

  @Test
  void maxRunnersCapsThePoolAndMinRunnersStayIdle() {
    PoolLoop loop = fx.loop(PoolFixture.settings().minRunners(2).maxRunners(3).build());
    fx.run(loop, 3, TICK);
    assertThat(fx.launcher.liveContainers()).hasSize(2); // the idle minimum, no job yet
    fx.enqueue(6);
    for (int i = 0; i < 40; i++) {
      fx.run(loop, 1, TICK);
      assertThat(fx.launcher.liveContainers().size()).isLessThanOrEqualTo(3);
    }
    assertThat(fx.service.jobsIn(JobState.COMPLETED)).isEqualTo(6);
    assertThat(fx.launcher.liveContainers()).hasSize(2);
    assertThat(fx.service.callCount("get-message")).isPositive();
  }

  @Test
  void aRestartBetweenLaunchAndAcknowledgementLaunchesNothingTwice() {
    RunnerPool first = fx.pool(PoolFixture.settings().build());
    PoolLoop crashing = first.loop();
    crashing.prepare();
    fx.run(crashing, 1, Duration.ZERO);
    fx.enqueue(3);
    fx.recorder.onLaunched = () -> {
      if (fx.recorder.launched.size() == 3) {
        crashing.stop();
      }
    };
    fx.run(crashing, 3, Duration.ZERO); // available → acquired; assigned → 3 launched, then "dies" before the ack
    assertThat(fx.launcher.launchRequests()).hasSize(3);
    assertThat(fx.service.unacknowledgedMessages(fx.scaleSetId())).isNotEmpty();
    fx.service.evictSession(fx.scaleSetId()); // the service expires the dead process's session

    fx.recorder.onLaunched = null;
    PoolLoop restarted = fx.loop(PoolFixture.settings().sessionOwner("replica-a-restarted").build());
    fx.run(restarted, 30, TICK);
    assertThat(fx.launcher.launchRequests()).as("launches over both lives").hasSize(3);
    assertThat(fx.service.jobsIn(JobState.COMPLETED)).isEqualTo(3);
    assertNothingLeft();
  }

  @Test
  void aStandbyReplicaGetsTheConflictAndTakesOverWithinAMinute() throws Exception {
    RunnerPool active = fx.pool(PoolFixture.settings().build());
    RunnerPool standby = fx.pool(PoolFixture.settings().sessionOwner("replica-b").build());
    active.start();
    awaitTrue(active::leader);
    standby.start();
    awaitTrue(() -> fx.service.callCount("create-session") >= 2);
    int attempts = fx.service.callCount("create-session");
    Thread.sleep(100);
    assertThat(standby.leader()).isFalse();
    assertThat(fx.service.callCount("create-session")).as("no retry before 30 s").isEqualTo(attempts);
    fx.enqueue(2);
    awaitTrue(() -> fx.launcher.launchRequests().size() == 2);

    active.close(); // SIGTERM: session deleted
    assertThat(fx.service.sessionOwner(fx.scaleSetId())).isEmpty();
    fx.clock.advance(Duration.ofSeconds(41)); // retry 30 s + at most 10 s jitter
    awaitTrue(standby::leader);
    assertThat(fx.service.sessionOwner(fx.scaleSetId())).contains("replica-b");
    fx.enqueue(1);
    awaitTrue(() -> fx.launcher.launchRequests().size() == 3);
    standby.close();
    assertThat(fx.service.sessionOwner(fx.scaleSetId())).isEmpty();
  }

  @Test
  void aQueueTokenExpiringDuringALongPollIsRefreshedWithoutANewSession() throws Exception {
    fx.close();
    fx = new PoolFixture(Duration.ofSeconds(2));
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    loop.step();
    CompletableFuture<Duration> polling = CompletableFuture.supplyAsync(loop::step);
    Thread.sleep(150);
    fx.service.expireQueueTokens();
    polling.get(5, TimeUnit.SECONDS);
    assertThat(fx.service.callCount("refresh-session")).isEqualTo(1);
    assertThat(fx.service.callCount("create-session")).isEqualTo(1);
    assertThat(loop.leader()).isTrue();
    fx.enqueue(1);
    fx.close();
    fx = new PoolFixture(); // the short hold again for the rest
  }

  @Test
  void theQueueTokenIsRenewedTenMinutesBeforeItExpiresNotAfterA401() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build()); // the fake's queue tokens live an hour
    fx.run(loop, 2, Duration.ZERO);
    fx.clock.advance(Duration.ofMinutes(49));
    fx.run(loop, 1, Duration.ZERO);
    assertThat(fx.service.callCount("refresh-session")).as("11 minutes left: not yet").isZero();
    fx.clock.advance(Duration.ofMinutes(2));
    fx.run(loop, 1, Duration.ZERO);
    assertThat(fx.service.callCount("refresh-session")).as("9 minutes left: renewed while still valid").isOne();
    fx.clock.advance(Duration.ofMinutes(20));
    fx.run(loop, 2, Duration.ZERO);
    assertThat(fx.service.callCount("refresh-session")).as("the renewed token lives an hour again").isOne();
    assertThat(fx.service.callCount("create-session")).isOne();
  }

  @Test
  void aSessionTheServiceDroppedIsCreatedAgain() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 2, TICK);
    fx.service.evictSession(fx.scaleSetId());
    fx.run(loop, 2, TICK);
    assertThat(fx.service.callCount("create-session")).isEqualTo(2);
    assertThat(loop.leader()).isTrue();
    long[] jobs = fx.enqueue(2);
    fx.run(loop, 20, TICK);
    assertThat(Arrays.stream(jobs).mapToObj(fx.service::jobState)).containsOnly(JobState.COMPLETED);
    assertNothingLeft();
  }

  @Test
  void aScaleSetTheServiceDeletedIsCreatedAgainAndServes() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 2, TICK);
    long before = fx.scaleSetId();
    fx.service.deleteScaleSet(before);
    fx.run(loop, 3, TICK);
    long after = fx.scaleSetId();
    assertThat(after).isNotEqualTo(before);
    assertThat(loop.scaleSet().id()).isEqualTo(after);
    assertThat(fx.service.labels(after)).containsExactly("oneshot-linux", "linux");
    long[] jobs = fx.enqueue(2);
    fx.run(loop, 20, TICK);
    assertThat(Arrays.stream(jobs).mapToObj(fx.service::jobState)).containsOnly(JobState.COMPLETED);
    assertNothingLeft();
  }

  @Test
  void aContainerWhoseRunnerNeverRegistersIsStoppedAndReplaced() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    fx.launcher.faults().neverOnline(1);
    long[] jobs = fx.enqueue(1);
    fx.run(loop, 3, Duration.ZERO);
    assertThat(fx.launcher.launchRequests()).hasSize(1);
    fx.run(loop, 90, TICK); // past the 5 min boot timeout and a janitor run
    assertThat(fx.recorder.removals).contains(RemovalReason.BOOT_TIMEOUT);
    assertThat(fx.launcher.launchRequests()).hasSize(2);
    assertThat(fx.launcher.describe(fx.launcher.containers().get(0)).state()).isIn(ContainerState.STOPPED,
        ContainerState.GONE);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.COMPLETED);
    assertNothingLeft();
  }

  @Test
  void aJitNameCollisionAfterALostAnswerLeavesNoStrayRegistration() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    fx.service.loseNextAnswer("generate-jit-config", 1);
    long[] jobs = fx.enqueue(1);
    fx.run(loop, 3, Duration.ZERO);
    assertThat(fx.launcher.launchRequests()).hasSize(1);
    assertThat(fx.scaleSetClient().listRunners(fx.scaleSetId())).hasSize(1);
    assertThat(fx.recorder.failures).isEmpty();
    fx.run(loop, 20, TICK);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.COMPLETED);
    assertNothingLeft();
  }

  @Test
  void aLaunchWhoseAnswerWasLostIsAskedAgainUnderTheSameKeyAndStartsOneContainer() {
    // As Cloud Run's launcher reports a RunJob that took effect but answered UNAVAILABLE.
    fx.launcher.loseNextLaunchAnswers(1);
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    long[] jobs = fx.enqueue(1);
    fx.run(loop, 3, Duration.ZERO);
    assertThat(fx.launcher.launchRequests()).as("the lost launch and the same one again").hasSize(2)
        .extracting(LaunchSpec::idempotencyKey).containsOnly(fx.launcher.launchRequests().get(0).idempotencyKey());
    assertThat(fx.launcher.containers()).hasSize(1);
    assertThat(fx.recorder.failures).isEmpty();
    assertThat(fx.recorder.launched).hasSize(1);
    fx.run(loop, 20, TICK);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.COMPLETED);
    assertThat(fx.launcher.containers()).hasSize(1);
    assertNothingLeft();
  }

  @Test
  void aJobCancelledBeforeItsRunnerIsOnlineLeavesAnIdleRunnerThatIsRemoved() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    long[] jobs = fx.enqueue(1);
    fx.run(loop, 3, Duration.ZERO);
    assertThat(fx.launcher.launchRequests()).hasSize(1);
    fx.service.cancelJob(jobs[0]);
    fx.run(loop, 10, TICK);
    assertThat(fx.recorder.removals).containsExactly(RemovalReason.SCALE_DOWN);
    assertThat(fx.service.result(jobs[0])).contains("canceled");
    assertNothingLeft();
  }

  @Test
  void aJobCancelledWhileItRunsEndsItsRunnerAndTheRunnerIsNotReplaced() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    long[] jobs = fx.enqueue(1);
    fx.run(loop, 4, TICK);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.RUNNING);
    fx.service.cancelJob(jobs[0]);
    fx.run(loop, 10, TICK);
    assertThat(fx.launcher.launchRequests()).hasSize(1);
    assertThat(fx.recorder.removals).doesNotContain(RemovalReason.SCALE_DOWN);
    assertNothingLeft();
  }

  @Test
  void aJobThatEndsBetweenItsMessageAndTheLookGetsNoSecondRunner() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    long[] jobs = fx.enqueue(1);
    // The message telling that the job started still counts it as assigned; by the time the pool looks at the
    // runners, the job has ended and its ephemeral runner is gone.
    fx.recorder.onMessage = message -> {
      if (!message.jobs(io.oneshot.scaleset.JobMessage.Type.JOB_STARTED).isEmpty()) {
        fx.clock.advance(PoolFixture.JOB.plusSeconds(5));
        fx.service.dispatch();
      }
    };
    fx.run(loop, 20, TICK);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.COMPLETED);
    assertThat(fx.launcher.launchRequests()).as("one runner for one job").hasSize(1);
    assertNothingLeft();
  }

  @Test
  void aJobReassignedThreeTimesWhileItsRunnerBootsGetsNoExtraRunner() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    long[] jobs = fx.enqueue(2);
    fx.run(loop, 3, Duration.ZERO);
    assertThat(fx.launcher.launchRequests()).hasSize(2);
    for (int i = 0; i < 3; i++) {
      fx.service.reassignJob(jobs[0]); // JobCompleted(canceled) then JobAssigned, same request
      fx.run(loop, 2, Duration.ZERO);
    }
    fx.run(loop, 20, TICK);
    assertThat(Arrays.stream(jobs).mapToObj(fx.service::jobState)).containsOnly(JobState.COMPLETED);
    assertThat(fx.launcher.launchRequests()).as("the count model needs no runner per message").hasSize(2);
    assertNothingLeft();
  }

  @Test
  void aLaunchWithoutCapacityIsRetriedOnTheNextCapacityOptionWithoutHoldingTheLoop() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    fx.launcher.faults().noCapacityOn(0);
    long[] jobs = fx.enqueue(2);
    fx.run(loop, 3, Duration.ZERO);
    assertThat(fx.recorder.failures).contains(FailureKind.CAPACITY);
    int pollsBefore = fx.service.callCount("get-message");
    fx.run(loop, 2, Duration.ZERO); // the gate is closed: the loop polls on, launches nothing
    assertThat(fx.service.callCount("get-message")).isGreaterThan(pollsBefore);
    assertThat(fx.scaleSetClient().listRunners(fx.scaleSetId())).as("failed launches' registrations removed").isEmpty();
    fx.run(loop, 20, TICK);
    assertThat(fx.launcher.launchRequests().stream().filter(s -> s.capacityOption() == 1)).hasSize(2);
    assertThat(Arrays.stream(jobs).mapToObj(fx.service::jobState)).containsOnly(JobState.COMPLETED);
    assertNothingLeft();
  }

  @Test
  void aCloudErrorInAStepWaitsABackoffAndTheLoopGoesOn() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.run(loop, 1, Duration.ZERO);
    long[] jobs = fx.enqueue(1);
    fx.launcher.failNextListOwned(1); // a cloud error the pool expects: retried after a backoff
    Duration wait = loop.step();
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(loop.step()).as("nothing is tried before the backoff ends").isEqualTo(wait);
    fx.run(loop, 20, TICK);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.COMPLETED);
    assertNothingLeft();
  }

  @Test
  void aBugInAStepIsLoggedWaitedOutAndTheLoopGoesOn() {
    PoolLoop loop = fx.loop(PoolFixture.settings().build());
    fx.launcher.failNextListOwnedWith(new IllegalStateException("a bug"));
    assertThat(loop.step()).as("the janitor's look failed: a backoff").isPositive();
    fx.run(loop, 3, TICK);
    assertThat(loop.leader()).isTrue();
    long[] jobs = fx.enqueue(1);
    fx.run(loop, 20, TICK);
    assertThat(fx.service.jobState(jobs[0])).isEqualTo(JobState.COMPLETED);
  }

  @Test
  void aStopBetweenAJitConfigAndItsLaunchRemovesTheRegistrationAndLaunchesNothing() {
    PoolLoop[] loop = new PoolLoop[1];
    // The scale-set client reports each JIT config it receives: the stop comes right after the first one.
    ScaleSetClient client = ScaleSetClient.builder().github(fx.rest).clock(fx.clock).sleeper(fx.clock.sleeper())
        .pollTimeout(Duration.ofSeconds(10)).onSecret(secret -> {
          if (fx.service.callCount("generate-jit-config") > 0) {
            loop[0].stop();
          }
        }).build();
    RunnerPool pool = RunnerPool.builder().github(fx.rest).scaleSetClient(client).launcher(fx.launcher)
        .settings(PoolFixture.settings().launchParallelism(1).build()).clock(fx.clock).build();
    loop[0] = pool.loop();
    loop[0].prepare();
    fx.run(loop[0], 1, Duration.ZERO);
    fx.enqueue(3);
    fx.run(loop[0], 3, Duration.ZERO);
    assertThat(fx.service.callCount("generate-jit-config")).isOne();
    assertThat(fx.launcher.launchRequests()).as("nothing launched half-way").isEmpty();
    assertThat(fx.scaleSetClient().listRunners(fx.scaleSetId())).as("the registration removed").isEmpty();
    loop[0].closeSession();
    assertThat(fx.service.sessionOwner(fx.scaleSetId())).isEmpty();
  }

  @Test
  void badConfigurationFailsAtStartUpNamingTheSettingAndCreatesNothing() {
    assertThatThrownBy(() -> PoolFixture.settings().minRunners(5).maxRunners(2).build())
        .isInstanceOfSatisfying(InvalidSettingsException.class,
            e -> assertThat(e.details()).anyMatch(p -> p.input().equals("min-runners")));
    RunnerPool pool = fx.pool(PoolFixture.settings().runnerGroup("no-such-group").build());
    assertThatThrownBy(pool::start).isInstanceOfSatisfying(InvalidSettingsException.class,
        e -> assertThat(e.details()).anyMatch(p -> p.input().equals("runner-group")));
    assertThat(fx.service.callCount("create-scale-set")).isZero();
    assertThat(fx.launcher.launchRequests()).isEmpty();
  }

  @Test
  void closingAPoolDeletesItsSessionAndLaunchesNothingAfterwards() throws Exception {
    RunnerPool pool = fx.pool(PoolFixture.settings().build());
    pool.start();
    awaitTrue(pool::leader);
    pool.close();
    pool.close();
    assertThat(fx.service.sessionOwner(fx.scaleSetId())).isEmpty();
    fx.enqueue(2);
    Thread.sleep(50);
    assertThat(fx.launcher.launchRequests()).isEmpty();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(5);
    }
  }
}
