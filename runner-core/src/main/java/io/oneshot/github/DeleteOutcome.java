package io.oneshot.github;

/** What deleting a runner registration did. */
public enum DeleteOutcome {
  /** The registration was removed (204). */
  DELETED,
  /** There was no such runner any more (404): nothing to do. */
  ALREADY_GONE,
  /** The runner is running a job (422) and was left alone. */
  BUSY
}
