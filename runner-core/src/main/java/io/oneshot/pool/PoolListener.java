package io.oneshot.pool;

import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.scaleset.ScaleSetStatistics;
import io.oneshot.spi.FailureKind;
import java.time.Duration;
import java.time.Instant;

/**
 * Hears what a {@link RunnerPool} does, for metrics, logs and tests. Called on the pool's threads (launches
 * run in parallel, so {@link #launched} and {@link #launchFailed} may come from several at once); must be
 * thread-safe and must not block. Every method does nothing by default.
 */
public interface PoolListener {
  /** A listener that does nothing. */
  PoolListener NONE = new PoolListener() {};

  /** The pool took the session (leader) or is waiting for another replica's session to end (standby). */
  default void leadership(boolean leader) {}

  /** The scale set's statistics from a message or the session. */
  default void statistics(ScaleSetStatistics statistics) {}

  /** A message arrived (before it is handled). */
  default void message(ScaleSetMessage message) {}

  /** A reconcile looked at the runners and wants {@code desired} live ones. */
  default void observed(PoolSnapshot snapshot, int desired) {}

  /** A runner's container was accepted by the cloud. */
  default void launched(String runnerName) {}

  /** A launch failed (its registration, if made, was removed). */
  default void launchFailed(FailureKind kind, String reason) {}

  /** A runner was removed (registration deleted, container stopped where there was one). */
  default void removed(PoolRunner runner, RemovalReason reason) {}

  /** How long an assigned job waited for a runner to come online (or for its job to start, if seen first). */
  default void jobToOnline(Duration waited) {}

  /** A step of the loop ended without an error. */
  default void stepCompleted(Instant at) {}
}
