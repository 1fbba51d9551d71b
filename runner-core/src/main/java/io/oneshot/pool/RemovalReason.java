package io.oneshot.pool;

import java.util.Locale;

/** Why the pool removed a runner (the {@code reason} label of the removals metric). */
public enum RemovalReason {
  /** More runners than jobs need: an idle one goes. */
  SCALE_DOWN,
  /** Not registered within the boot timeout. */
  BOOT_TIMEOUT,
  /** A registration with no container past the grace period. */
  ORPHAN_REGISTRATION,
  /** Past the maximum lifetime. */
  MAX_LIFETIME,
  /** The container finished: its leftovers (registration, ACI group) are deleted. */
  FINISHED;

  /** The lower-case name used in metrics and logs. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
