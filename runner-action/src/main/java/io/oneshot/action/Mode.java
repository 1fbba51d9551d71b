package io.oneshot.action;

/** What one run of oneshot does. */
public enum Mode {
  /** Start a batch of runners and wait for them. */
  START,
  /** Stop the runners of a batch label. */
  STOP,
  /** Reconcile the cloud and GitHub for the owner. */
  SWEEP,
  /** Show the runners of a batch label. */
  STATUS
}
