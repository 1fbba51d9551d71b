package io.oneshot.fakes.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Faults planned for a fake, each used once, in the order planned: one queue, or one queue per key
 * (an operation name). Not thread-safe: the fakes' fault plans call it under their own lock.
 *
 * @param <F> what is planned (a fault, a fate)
 */
public final class Planned<F> {
  private final Map<String, Deque<F>> queues = new HashMap<>();

  /** Plans {@code fault} {@code times} more times for {@code key}. */
  public void add(String key, F fault, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
    Deque<F> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
  }

  /** Plans {@code fault} {@code times} more times (for keyless plans). */
  public void add(F fault, int times) {
    add("", fault, times);
  }

  /** The next planned fault for {@code key}, consumed; empty when none is left. */
  public Optional<F> next(String key) {
    Deque<F> queue = queues.get(key);
    return Optional.ofNullable(queue == null ? null : queue.poll());
  }

  /** The next planned fault of a keyless plan, consumed. */
  public Optional<F> next() {
    return next("");
  }

  /** Forgets everything planned. */
  public void clear() {
    queues.clear();
  }
}
