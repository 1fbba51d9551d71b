package io.oneshot.scaleset;

/**
 * The service's counters for a scale set, as sent with a session and with every message. Scale on
 * {@link #totalAssignedJobs()} (jobs assigned to the scale set, waiting and running; always current),
 * never on counted messages.
 */
public record ScaleSetStatistics(int totalAvailableJobs, int totalAcquiredJobs, int totalAssignedJobs,
    int totalRunningJobs, int totalRegisteredRunners, int totalBusyRunners, int totalIdleRunners) {
  /** All zero. */
  public static final ScaleSetStatistics EMPTY = new ScaleSetStatistics(0, 0, 0, 0, 0, 0, 0);
}
