package io.oneshot.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers a sweep marked as "runner never came online", remembered until the next pass, which
 * stops them after a last look at their registration. In memory: marks last as long as the
 * {@link RunnerFleet} that holds them. Thread-safe; marking twice is the same as once.
 */
public final class SweepMarks {
  private final Map<String, Instant> marked = new ConcurrentHashMap<>();

  /** Marks a container (by resource id), keeping the first time it was marked. */
  public void mark(String resourceId, Instant at) {
    marked.putIfAbsent(resourceId, at);
  }

  /** When the container was marked, empty when it is not. */
  public Optional<Instant> markedAt(String resourceId) {
    return Optional.ofNullable(marked.get(resourceId));
  }

  /** Forgets a mark; nothing happens when there is none. */
  public void clear(String resourceId) {
    marked.remove(resourceId);
  }
}
