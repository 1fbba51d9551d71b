package io.oneshot.spi;

import java.time.Duration;

/**
 * Waits for a while. Production code blocks the thread; tests pass one that advances their clock, so
 * nothing sleeps for real. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code duration} (or, in tests, moves time on by it). */
  void sleep(Duration duration) throws InterruptedException;

  /** The real sleeper: {@link Thread#sleep}. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis());
      }
    };
  }
}
