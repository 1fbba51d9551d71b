package io.oneshot.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link SweepMarkStore}, the default: marks last as long as this object (so as long as
 * the {@link RunnerFleet} or {@link FleetOptions} that hold it). Never blocks; thread-safe; marking
 * twice is the same as once.
 */
public final class SweepMarks implements SweepMarkStore {
  private final Map<String, Instant> marked = new ConcurrentHashMap<>();

  @Override
  public void mark(String resourceId, Instant at) {
    marked.putIfAbsent(Objects.requireNonNull(resourceId, "resourceId"), Objects.requireNonNull(at, "at"));
  }

  @Override
  public Optional<Instant> markedAt(String resourceId) {
    return Optional.ofNullable(marked.get(resourceId));
  }

  @Override
  public void unmark(String resourceId) {
    marked.remove(resourceId);
  }

  /** Same as {@link #unmark}; kept for callers of the first version of this class. */
  public void clear(String resourceId) {
    unmark(resourceId);
  }
}
