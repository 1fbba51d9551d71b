package io.oneshot.core;

/** What stopping did to one runner. */
public enum StopAction {
  /** Registration deleted (or already gone) and container terminated. */
  STOPPED,
  /** Running a job: registration and container left alone. */
  LEFT_BUSY,
  /** Running a job, stopped anyway because the stop was forced. */
  FORCED
}
