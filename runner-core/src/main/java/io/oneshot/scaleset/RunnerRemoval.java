package io.oneshot.scaleset;

/** What {@link ScaleSetClient#removeRunner} did. */
public enum RunnerRemoval {
  /** The registration was deleted (204). */
  REMOVED,
  /**
   * There was no such runner ({@code AgentNotFoundException} or 404): already removed, gone after its job
   * (ephemeral runners deregister), or removed by a first attempt whose answer was lost.
   */
  NOT_FOUND,
  /** The runner is running a job ({@code JobStillRunningException}) and was left alone; try again later. */
  JOB_STILL_RUNNING
}
