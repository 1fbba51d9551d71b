package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.ecs.EcsFaults;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.FaultMatrix;
import io.oneshot.testkit.GitHubOrg;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fault schedules on ECS (see {@link FaultMatrix}): throttling, 5xx, resets, answers lost after RunTask
 * or StopTask took effect, capacity, image pulls, tasks stopping while pending, runners never online or
 * crashing, slow answers, with the GitHub faults. 50 schedules in the build; more with
 * {@code -Doneshot.matrix.schedules=500}, one with {@code -Doneshot.matrix.seed=S}.
 */
class EcsFaultMatrixTest {
  private static final List<String> OPERATIONS = List.of("RunTask", "DescribeTasks", "StopTask", "ListTasks");
  private static final List<String> EFFECTS = List.of("RunTask", "StopTask");

  static final class EcsCloud implements FaultMatrix.Cloud {
    private final EcsFixture fixture;

    EcsCloud(GitHubOrg org) {
      fixture = new EcsFixture(org.github(), org.clock());
    }

    @Override
    public RunnerLauncher launcher() {
      return fixture.launcher();
    }

    @Override
    public int planFaults(Random random, int runners, List<String> plan) {
      EcsFaults faults = fixture.ecs.faults();
      int planned = 0;
      int kinds = 1 + random.nextInt(5);
      for (int i = 0; i < kinds; i++) {
        String operation = FaultMatrix.pick(random, OPERATIONS);
        String effect = FaultMatrix.pick(random, EFFECTS);
        int times = 1 + random.nextInt(2);
        String line;
        switch (random.nextInt(12)) {
          case 0 -> { faults.throttleNext(operation, times); line = "throttle x" + times + " " + operation; }
          case 1 -> { faults.serverErrorNext(operation, times); line = "500 x" + times + " " + operation; }
          case 2 -> { faults.resetNext(operation, times); line = "reset x" + times + " " + operation; }
          case 3 -> { faults.loseAnswerNext(effect, times); line = "answer lost x" + times + " " + effect; }
          case 4 -> { faults.serverErrorAfterEffectNext(effect, times); line = "500 after effect x" + times + " " + effect; }
          case 5 -> { faults.capacityFailureNext(times); line = "no capacity x" + times; }
          case 6 -> { faults.imagePullFailureNext(times); line = "image pull failure x" + times; }
          case 7 -> {
            faults.stopWhilePendingNext(times, "TaskFailedToStart", "ResourceInitializationError: unable to pull"
                + " secrets or registry auth");
            line = "stopped while pending x" + times;
          }
          case 8 -> { faults.runnerNeverOnlineNext(times); line = "never online x" + times; }
          case 9 -> { faults.runnerCrashOnBootNext(times, 1); line = "crash on boot x" + times; }
          case 10 -> { faults.latency(Duration.ofMillis(1 + random.nextInt(2))); times = 1; line = "slow answers"; }
          default -> { faults.throttleNext(operation, 3); times = 3; line = "throttle x3 " + operation; }
        }
        plan.add("ecs " + line);
        planned += times;
      }
      return planned;
    }

    @Override
    public List<FaultMatrix.Container> containers() {
      return fixture.ecs.tasks().stream().map(this::container).toList();
    }

    private FaultMatrix.Container container(FakeTask task) {
      return new FaultMatrix.Container(task.taskArn(), !task.lastStatus().equals("STOPPED"),
          fixture.ecs.runner(task.taskArn()), Optional.ofNullable(task.tags().get(OwnershipTags.LABEL)));
    }

    @Override
    public void close() {
      fixture.close();
    }
  }

  @Test
  void schedulesLeaveNothingBehindAndStealNoJob() {
    FaultMatrix.Summary summary = FaultMatrix.run("ecs", (org, seed) -> new EcsCloud(org), 50);

    assertThat(summary.failures()).as(summary.report()).isEmpty();
  }
}
