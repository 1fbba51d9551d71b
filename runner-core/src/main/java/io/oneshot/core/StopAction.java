package io.oneshot.core;

/** What stopping (or cleaning up after a cancelled start) did to one runner. */
public enum StopAction {
  /** Registration deleted (or already gone) and container terminated. */
  STOPPED,
  /** Registration deleted (or already gone); there was no live container to terminate. */
  DEREGISTERED,
  /**
   * GitHub could not be asked (listing or deleting failed): the registration's state is unknown (an
   * ephemeral one disappears with its runner; the sweep deletes it otherwise); the container was
   * terminated.
   */
  REGISTRATION_UNKNOWN,
  /** Terminating the container failed: it may still run (its idle timeout or the sweep ends it). */
  TERMINATE_FAILED,
  /** Running a job: registration and container left alone. */
  LEFT_BUSY,
  /** Running a job, stopped anyway because the stop was forced. */
  FORCED,
  /** The cleanup did not finish within its budget (a cancelled start); the sweep or stop step finishes it. */
  NOT_FINISHED
}
