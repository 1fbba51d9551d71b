package io.oneshot.core;

import java.util.List;

/** The result of {@link RunnerFleet#stop}: one entry per runner or container found for the label. */
public record StopReport(String batchLabel, List<StoppedRunner> runners) {
  public StopReport {
    runners = List.copyOf(runners);
  }

  /** The runners left alone because they were running a job. */
  public List<StoppedRunner> leftBusy() {
    return runners.stream().filter(r -> r.action() == StopAction.LEFT_BUSY).toList();
  }
}
