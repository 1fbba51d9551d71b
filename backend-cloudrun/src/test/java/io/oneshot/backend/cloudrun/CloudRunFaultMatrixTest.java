package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.cloudrun.CloudRunFaults;
import io.oneshot.fakes.cloudrun.FakeExecution;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.FaultMatrix;
import io.oneshot.testkit.GitHubOrg;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fault schedules on Cloud Run (see {@link FaultMatrix}): rate limits, UNAVAILABLE, deadlines, resets,
 * answers lost after RunJob or CancelExecution took effect, missing images, no resources, runners never online or
 * crashing, slow answers, with the GitHub faults. 50 schedules in the build; more with
 * {@code -Doneshot.matrix.schedules=500}, one with {@code -Doneshot.matrix.seed=S}.
 */
class CloudRunFaultMatrixTest {
  private static final List<String> METHODS = List.of("RunJob", "GetExecution", "ListExecutions", "CancelExecution");
  private static final List<String> EFFECTS = List.of("RunJob", "CancelExecution");

  static final class CloudRunCloud implements FaultMatrix.Cloud {
    private final CloudRunFixture fixture;

    CloudRunCloud(GitHubOrg org) {
      fixture = new CloudRunFixture(org.github(), org.clock());
    }

    @Override
    public RunnerLauncher launcher() {
      return fixture.launcher();
    }

    @Override
    public int planFaults(Random random, int runners, List<String> plan) {
      CloudRunFaults faults = fixture.cloudRun.faults();
      int planned = 0;
      int kinds = 1 + random.nextInt(5);
      for (int i = 0; i < kinds; i++) {
        String method = FaultMatrix.pick(random, METHODS);
        String effect = FaultMatrix.pick(random, EFFECTS);
        int times = 1 + random.nextInt(2);
        String line;
        switch (random.nextInt(11)) {
          case 0 -> { faults.rateLimitNext(method, times); line = "rate limit x" + times + " " + method; }
          case 1 -> { faults.unavailableNext(method, times); line = "unavailable x" + times + " " + method; }
          case 2 -> { faults.deadlineExceededNext(method, times); line = "deadline x" + times + " " + method; }
          case 3 -> { faults.connectionResetNext(method, times); line = "reset x" + times + " " + method; }
          case 4 -> { faults.loseAnswerNext(effect, times); line = "answer lost x" + times + " " + effect; }
          case 5 -> { faults.unavailableAfterEffectNext(effect, times); line = "unavailable after effect x" + times + " " + effect; }
          case 6 -> { faults.imageMissingNext(times); line = "image missing x" + times; }
          case 7 -> { faults.noResourcesNext(times); line = "no resources x" + times; }
          case 8 -> { faults.runnerNeverOnlineNext(times); line = "never online x" + times; }
          case 9 -> { faults.runnerCrashOnBootNext(times, 1); line = "crash on boot x" + times; }
          default -> { faults.latency(Duration.ofMillis(1 + random.nextInt(2))); times = 1; line = "slow answers"; }
        }
        plan.add("cloudrun " + line);
        planned += times;
      }
      return planned;
    }

    @Override
    public List<FaultMatrix.Container> containers() {
      return fixture.cloudRun.executions().stream().map(this::container).toList();
    }

    private FaultMatrix.Container container(FakeExecution execution) {
      return new FaultMatrix.Container(execution.name(), !execution.finished(),
          fixture.cloudRun.runner(execution.name()), Optional.ofNullable(execution.environment().get("ONESHOT_LABEL")));
    }

    @Override
    public void close() {
      fixture.close();
    }
  }

  @Test
  void schedulesLeaveNothingBehindAndStealNoJob() {
    FaultMatrix.Summary summary = FaultMatrix.run("cloudrun", (org, seed) -> new CloudRunCloud(org), 50);

    assertThat(summary.failures()).as(summary.report()).isEmpty();
  }
}
