package io.oneshot.core;

import java.util.List;

/**
 * The result of {@link RunnerFleet#start}: the batch label jobs use in {@code runs-on}, and one
 * outcome per runner in launch order.
 */
public record BatchResult(String batchLabel, List<RunnerOutcome> runners) {
  public BatchResult {
    runners = List.copyOf(runners);
  }

  /** Whether every runner is online (or launched, when not waiting). */
  public boolean succeeded() {
    return runners.stream().allMatch(r -> r.kind() == OutcomeKind.ONLINE || r.kind() == OutcomeKind.LAUNCHED);
  }

  /** The runners that reached that outcome. */
  public List<RunnerOutcome> withKind(OutcomeKind kind) {
    return runners.stream().filter(r -> r.kind() == kind).toList();
  }
}
