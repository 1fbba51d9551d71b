package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.aci.AciFaults;
import io.oneshot.fakes.aci.FakeContainerGroup;
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
 * Seeded fault schedules on ACI (see {@link FaultMatrix}): 429 throttling, 503s, resets, answers lost after a PUT
 * or DELETE took effect, capacity refusals (synchronous and after accept), image failures, runners never online
 * or crashing, slow answers, with the GitHub faults. 50 schedules in the build; more with
 * {@code -Doneshot.matrix.schedules=500}, one with {@code -Doneshot.matrix.seed=S}.
 */
class AciFaultMatrixTest {
  private static final List<String> OPERATIONS = List.of(AciFaults.CREATE, AciFaults.GET, AciFaults.DELETE,
      AciFaults.LIST);
  private static final List<String> EFFECTS = List.of(AciFaults.CREATE, AciFaults.DELETE);

  static final class AciCloud implements FaultMatrix.Cloud {
    private final AciFixture fixture;

    AciCloud(GitHubOrg org) {
      fixture = new AciFixture(org.github(), org.clock());
    }

    @Override
    public RunnerLauncher launcher() {
      return fixture.launcher();
    }

    @Override
    public int planFaults(Random random, int runners, List<String> plan) {
      AciFaults faults = fixture.aci.faults();
      int planned = 0;
      int kinds = 1 + random.nextInt(5);
      for (int i = 0; i < kinds; i++) {
        String operation = FaultMatrix.pick(random, OPERATIONS);
        String effect = FaultMatrix.pick(random, EFFECTS);
        int times = 1 + random.nextInt(2);
        String line;
        switch (random.nextInt(12)) {
          case 0 -> { faults.throttleNext(operation, times); line = "429 x" + times + " " + operation; }
          case 1 -> { faults.serviceUnavailableNext(operation, times); line = "503 x" + times + " " + operation; }
          case 2 -> { faults.resetNext(operation, times); line = "reset x" + times + " " + operation; }
          case 3 -> { faults.loseAnswerNext(effect, times); line = "answer lost x" + times + " " + effect; }
          case 4 -> { faults.serviceUnavailableAfterEffectNext(effect, times); line = "503 after effect x" + times + " " + effect; }
          case 5 -> { faults.capacityFailureNext(times); line = "no capacity x" + times; }
          case 6 -> { faults.capacityFailureAfterAcceptNext(times); line = "no capacity after accept x" + times; }
          case 7 -> { faults.imagePullFailureNext(times); line = "image pull failure x" + times; }
          case 8 -> { faults.inaccessibleImageNext(times); line = "inaccessible image x" + times; }
          case 9 -> { faults.runnerNeverOnlineNext(times); line = "never online x" + times; }
          case 10 -> { faults.runnerCrashOnBootNext(times, 1); line = "crash on boot x" + times; }
          default -> { faults.latency(Duration.ofMillis(1 + random.nextInt(2))); times = 1; line = "slow answers"; }
        }
        plan.add("aci " + line);
        planned += times;
      }
      return planned;
    }

    @Override
    public List<FaultMatrix.Container> containers() {
      return fixture.aci.groups().stream().map(this::container).toList();
    }

    private FaultMatrix.Container container(FakeContainerGroup group) {
      boolean live = !group.provisioningState().equals("Deleting") && !group.provisioningState().equals("Failed")
          && !group.containerState().filter("Terminated"::equals).isPresent();
      return new FaultMatrix.Container(group.id(), live, fixture.aci.runner(group.id()),
          Optional.ofNullable(group.tags().get(OwnershipTags.LABEL)));
    }

    @Override
    public void close() {
      fixture.close();
    }
  }

  @Test
  void schedulesLeaveNothingBehindAndStealNoJob() {
    FaultMatrix.Summary summary = FaultMatrix.run("aci", (org, seed) -> new AciCloud(org), 50);

    assertThat(summary.failures()).as(summary.report()).isEmpty();
  }
}
