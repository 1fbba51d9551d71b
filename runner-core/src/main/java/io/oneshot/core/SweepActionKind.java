package io.oneshot.core;

/** What one sweep finding was, and what the sweep did about it. */
public enum SweepActionKind {
  /** A container past its {@code oneshot-expires} tag: registration deleted, container terminated. */
  STOPPED_EXPIRED,
  /** A container whose runner never came online within the boot timeout, marked on an earlier pass: stopped. */
  STOPPED_NEVER_ONLINE,
  /** A container whose runner is not online after the boot timeout: marked for the next pass. */
  MARKED_NEVER_ONLINE,
  /** An offline registration of ours whose container is gone or stopped: deleted. */
  DELETED_ORPHAN_REGISTRATION,
  /**
   * A finished container of a cloud that keeps finished containers until they are deleted (ACI container
   * groups): deleted.
   */
  DELETED_FINISHED,
  /** A runner that is running a job: left alone (not an action). */
  LEFT_BUSY
}
