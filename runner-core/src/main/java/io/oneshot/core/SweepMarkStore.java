package io.oneshot.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the sweep remembers containers it marked as "runner never came online", between one pass and
 * the next (which stops them after a last look at their registration). The default, {@link SweepMarks},
 * keeps them in memory for as long as the {@link FleetOptions} that hold it; a long-running embedder
 * that sweeps from short-lived processes implements this over its own storage, so a mark survives a
 * restart. Implementations must be thread-safe; each method may block on that storage and is
 * idempotent.
 */
public interface SweepMarkStore {

  /**
   * Marks a container (by its {@link io.oneshot.spi.LaunchedRunner#resourceId() resource id}) at
   * {@code at}; when it is marked already, the first time is kept. Idempotent.
   */
  void mark(String resourceId, Instant at);

  /** When the container was marked, empty when it is not. Idempotent. */
  Optional<Instant> markedAt(String resourceId);

  /** Forgets a container's mark; nothing happens when there is none. Idempotent. */
  void unmark(String resourceId);

  /** A new, empty in-memory store. */
  static SweepMarkStore inMemory() {
    return new SweepMarks();
  }
}
