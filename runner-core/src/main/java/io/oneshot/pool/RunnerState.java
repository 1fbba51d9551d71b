package io.oneshot.pool;

/**
 * Where one runner of a pool stands, judged from the cloud's container and the scale set's registration
 * together (never from memory alone).
 */
public enum RunnerState {
  /** Launched (or registered and not yet listed by the cloud) and not online yet. Counts as live. */
  BOOTING(true),
  /** Online and waiting for a job. Counts as live; the only state scale-down removes. */
  IDLE(true),
  /** Running a job. Counts as live; never stopped by the pool. */
  BUSY(true),
  /** The container runs but its registration is gone (the job ended, or it was removed): on its way out. */
  FINISHING(false),
  /** The container has stopped or is gone. */
  FINISHED(false),
  /** A registration with no container for longer than the grace period. */
  ORPHAN(false);

  private final boolean live;

  RunnerState(boolean live) {
    this.live = live;
  }

  /** Whether it counts against the desired number of runners. */
  public boolean live() {
    return live;
  }
}
