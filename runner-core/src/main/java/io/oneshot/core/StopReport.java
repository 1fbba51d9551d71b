package io.oneshot.core;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of {@link RunnerFleet#stop}, {@link RunnerFleet#stopRun} or the cleanup of a cancelled
 * start: one entry per runner or container found. {@code batchLabel} is the batch label, or
 * {@code oneshot-run-<id>} for a workflow run.
 */
public record StopReport(String batchLabel, List<StoppedRunner> runners) {
  public StopReport {
    runners = List.copyOf(runners);
  }

  /** The runners left alone because they were running a job. */
  public List<StoppedRunner> leftBusy() {
    return withAction(StopAction.LEFT_BUSY);
  }

  /** The runners that got that action. */
  public List<StoppedRunner> withAction(StopAction action) {
    return runners.stream().filter(r -> r.action() == action).toList();
  }

  /** One line for people: {@code 2 stopped, 1 left busy}, or {@code nothing to stop}. */
  public String summary() {
    if (runners.isEmpty()) {
      return "nothing to stop";
    }
    Map<StopAction, Long> counts = runners.stream()
        .collect(Collectors.groupingBy(StoppedRunner::action, () -> new EnumMap<>(StopAction.class),
            Collectors.counting()));
    return counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
        .collect(Collectors.joining(", "));
  }
}
