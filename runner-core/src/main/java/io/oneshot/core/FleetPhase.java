package io.oneshot.core;

/** The steps a runner goes through, as reported in {@link FleetEvent}s. */
public enum FleetPhase {
  /**
   * The batch label is chosen and nothing exists yet; the event's runner name is the batch label. Comes
   * before the first GitHub registration, so a caller can publish the label first.
   */
  PLANNED,
  /** Registered with GitHub (JIT config minted, or name reserved in token mode). */
  REGISTERED,
  /** The cloud accepted the container. */
  LAUNCHED,
  /** The container is running; the runner is not online yet. */
  RUNNING,
  /** GitHub sees the runner online. */
  ONLINE,
  /** The container or its launch failed; the detail says why. */
  FAILED,
  /** A replacement is being launched after a retryable failure. */
  RETRYING,
  /** The runner was not online by the deadline. */
  TIMED_OUT,
  /** The registration was deleted. */
  DEREGISTERED,
  /** The runner is running a job and was left alone. */
  LEFT_BUSY,
  /** The container was terminated. */
  TERMINATED,
  /** The start was cancelled (or its thread interrupted); the event's runner name is the batch label. */
  CANCELLED,
  /** The sweep marked the container; the next sweep stops it unless its runner came online. */
  MARKED
}
