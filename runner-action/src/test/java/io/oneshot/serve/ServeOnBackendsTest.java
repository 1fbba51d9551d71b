package io.oneshot.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.FleetOwner;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.SweepReport;
import io.oneshot.fakes.aci.AciFaults;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.pool.RemovalReason;
import io.oneshot.pool.RunnerPool;
import io.oneshot.serve.ServeFixture.Backend;
import io.oneshot.serve.ServeFixture.CloudContainer;
import io.oneshot.spi.FailureKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The autoscaler ({@link RunnerPool}, public API only) on the real backends: each backend's launcher built by its
 * provider with the real SDK client, against the wire-faithful cloud fake, with the fake scale-set service
 * running the jobs on the runners the cloud's containers start.
 */
class ServeOnBackendsTest {
  private static final Duration TICK = Duration.ofSeconds(2);
  private ServeFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aColdStartWithABacklogRunsEveryJobInItsOwnContainerAndReturnsToZero(Backend backend) {
    fx = new ServeFixture(backend);
    fx.createScaleSet();
    long[] jobs = fx.enqueue(5); // queued while nobody listened
    RunnerPool pool = fx.pool(ServeFixture.settings().build());

    pool.start();
    fx.await("every job done and nothing left", () -> fx.backToZero(jobs), TICK);
    fx.report("cold start with a backlog of 5", jobs.length);

    assertThat(pool.leader()).isTrue();
    pool.close(); // waits for the step in progress: the counts below hold still
    assertOneCloudPassPerLook(backend, jobs.length);
    assertThat(fx.cloudCalls(fx.launchOperation())).as("launch calls").isEqualTo(5);
    assertThat(fx.recorder.launched).hasSize(5).doesNotHaveDuplicates();
    assertThat(fx.recorder.failures).isEmpty();
    assertThat(fx.recorder.lastDesired).isZero();
    assertThat(fx.scaleSetClient().listRunners(fx.scaleSetId())).as("registrations left").isEmpty();
    if (fx.launcher.keepsFinishedContainers()) {
      // ACI keeps a finished group until deleted: the janitor deleted each one.
      assertThat(fx.recorder.removals).containsExactlyElementsOf(List.of(RemovalReason.FINISHED,
          RemovalReason.FINISHED, RemovalReason.FINISHED, RemovalReason.FINISHED, RemovalReason.FINISHED));
      assertThat(fx.cloudCalls(fx.terminateOperation())).as("group deletions").isEqualTo(5);
      assertThat(fx.containers()).isEmpty();
    } else {
      assertThat(fx.containers()).hasSize(5).noneMatch(CloudContainer::live);
      assertThat(fx.recorder.removals).as("ephemeral runners deregister themselves").isEmpty();
      assertThat(fx.cloudCalls(fx.terminateOperation())).isZero();
      assertThat(fx.containers()).extracting(CloudContainer::runnerName)
          .containsExactlyInAnyOrderElementsOf(fx.recorder.launched);
    }
  }

  /**
   * With the pool closed (no look in flight): each look at the pool's containers was one pass over the cloud's
   * list, the states read from that pass; no second list, and on ECS no second DescribeTasks round (the list
   * already describes each task to read its tags).
   */
  private void assertOneCloudPassPerLook(Backend backend, int launches) {
    int looks = fx.looks();
    assertThat(looks).as("looks").isPositive();
    switch (backend) {
      case ECS -> {
        // ListTasks once for RUNNING and once for STOPPED tasks; DescribeTasks once, when anything is listed.
        assertThat(fx.cloudCalls("ListTasks")).as("ListTasks for %d looks", looks).isEqualTo(2 * looks);
        assertThat(fx.cloudCalls("DescribeTasks")).as("DescribeTasks for %d looks", looks)
            .isPositive().isLessThanOrEqualTo(looks);
      }
      // One page per look, plus the one page each launch of a new key reads for its idempotency lookup.
      case CLOUDRUN -> assertThat(fx.cloudCalls("ListExecutions")).as("ListExecutions for %d looks", looks)
          .isEqualTo(looks + launches);
      // One list per look; the GET per listed group stays (the list has no instance view).
      case ACI -> assertThat(fx.cloudCalls(AciFaults.LIST)).as("group lists for %d looks", looks).isEqualTo(looks);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void thePoolsContainersCarryItsOwnOwnerAndASweepOfTheScopeTouchesNoneOfThem(Backend backend) {
    fx = new ServeFixture(backend);
    RunnerPool pool = fx.pool(ServeFixture.settings().build());
    String fleetOwner = FleetOwner.of(fx.scope, fx.launcher);
    assertThat(pool.owner()).isEqualTo(RunnerPool.owner(fx.rest, fx.launcher, ServeFixture.SCALE_SET))
        .isNotEqualTo(fleetOwner);

    pool.start();
    long[] jobs = fx.enqueue(3);
    fx.await("3 jobs running", () -> fx.allIn(jobs, JobState.RUNNING), TICK);
    List<CloudContainer> running = fx.containers();
    assertThat(running).hasSize(3).allMatch(CloudContainer::live)
        .allSatisfy(c -> assertThat(c.owner()).isEqualTo(pool.owner()));

    RunnerFleet fleet = RunnerFleet.builder().github(fx.rest).launcher(fx.launcher).clock(fx.clock)
        .sleeper(fx.clock.sleeper()).build();
    assertThat(fleet.owner()).isEqualTo(fleetOwner);
    int registrations = fx.github.runners(fx.scopeKey).size();
    int stops = fx.cloudCalls(fx.terminateOperation());
    // The runners are named <scale set>-<8 random>, the shape a start batch with that name prefix has.
    SweepReport first = fleet.sweep(ServeFixture.SCALE_SET);
    SweepReport second = fleet.sweep(ServeFixture.SCALE_SET);

    for (SweepReport report : List.of(first, second)) {
      assertThat(report.containersSeen()).isZero();
      assertThat(report.actions()).isEmpty();
    }
    assertThat(fx.cloudCalls(fx.terminateOperation())).isEqualTo(stops);
    assertThat(fx.github.runners(fx.scopeKey)).hasSize(registrations);
    assertThat(fx.containers()).hasSize(3).allMatch(CloudContainer::live);

    fx.await("every job done and nothing left", () -> fx.backToZero(jobs), TICK);
    assertThat(fx.service.jobsIn(JobState.COMPLETED)).isEqualTo(3);
    assertThat(java.util.Arrays.stream(jobs).mapToObj(job -> fx.service.result(job).orElse("")))
        .containsOnly("succeeded");
  }

  @Test
  void onEcsALaunchRefusedForCapacityMovesLaterLaunchesToTheNextCapacityProvider() {
    fx = new ServeFixture(Backend.ECS, Map.of("capacity-providers", "FARGATE_SPOT,FARGATE"));
    fx.ecs.faults().noCapacityOn("FARGATE_SPOT");
    fx.createScaleSet();
    long[] jobs = fx.enqueue(5);
    RunnerPool pool = fx.pool(ServeFixture.settings().build());

    pool.start();
    fx.await("every job done and nothing left", () -> fx.backToZero(jobs), TICK);
    fx.report("capacity refused on FARGATE_SPOT", jobs.length);

    assertThat(fx.recorder.failures).isNotEmpty().containsOnly(FailureKind.CAPACITY);
    assertThat(fx.ecs.tasks()).hasSize(5)
        .allSatisfy(task -> assertThat(task.capacityProviderName()).contains("FARGATE"));
    assertThat(fx.cloudCalls("RunTask")).isEqualTo(5 + fx.recorder.failures.size());
    assertThat(fx.recorder.launched).hasSize(5);
    assertThat(fx.scaleSetClient().listRunners(fx.scaleSetId())).as("refused launches' registrations removed")
        .isEmpty();
  }

  /**
   * The launch call takes effect and its answer is lost. ECS and ACI: the SDK sends the same RunTask (client token =
   * runner name) or the same group PUT (group name = runner name) again and gets the same container. Cloud Run:
   * RunJob is not retried by the client and names its execution itself; the backend reports UNAVAILABLE as a
   * THROTTLED launch failure, the pool asks again with the same spec, and the launcher finds the execution by the
   * idempotency key in its environment (ListExecutions) instead of running the job twice.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aLostLaunchAnswerStartsExactlyOneContainerForThatRunner(Backend backend) {
    fx = new ServeFixture(backend);
    fx.loseNextLaunchAnswer();
    RunnerPool pool = fx.pool(ServeFixture.settings().build());

    pool.start();
    long[] jobs = fx.enqueue(1);
    fx.await("the job running", () -> fx.allIn(jobs, JobState.RUNNING), TICK);
    assertThat(fx.recorder.launched).hasSize(1);
    assertThat(fx.containers()).extracting(CloudContainer::runnerName).containsExactlyElementsOf(fx.recorder.launched);
    fx.await("the job done and nothing left", () -> fx.backToZero(jobs), TICK);
    fx.report("one lost launch answer", jobs.length);

    assertThat(fx.cloudCalls(fx.launchOperation())).as("launch calls")
        .isEqualTo(backend == Backend.CLOUDRUN ? 1 : 2);
    assertThat(fx.recorder.launched).hasSize(1);
    assertThat(fx.recorder.failures).isEmpty();
    assertThat(fx.service.result(jobs[0])).contains("succeeded");
    assertThat(fx.service.callCount("generate-jit-config")).as("one runner registered").isEqualTo(1);
    if (!fx.launcher.keepsFinishedContainers()) {
      assertThat(fx.containers()).extracting(CloudContainer::runnerName).containsExactlyElementsOf(fx.recorder.launched);
    }
  }
}
