package io.oneshot.core;

/** How a runner's start ended. */
public enum OutcomeKind {
  /** Online in GitHub (or it already took a job). */
  ONLINE,
  /** Launched, not waited for (the request said not to wait). */
  LAUNCHED,
  /** Failed for good; its registration was deleted and its container terminated. */
  FAILED,
  /** Not online by the deadline; its registration was deleted and its container terminated. */
  TIMED_OUT
}
