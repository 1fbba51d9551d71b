package io.oneshot.core;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before the next launch attempt of one runner: exponential backoff with full
 * jitter, a random time between zero and {@code base * 2^(attempts - 1)}, capped. Spreads the
 * retries of a batch hit by one capacity shortage. Thread-safe if the random is; never blocks.
 */
public final class RetryBackoff {
  /** The first retry waits up to this long. */
  static final Duration BASE = Duration.ofSeconds(1);
  /** No retry waits longer than this. */
  static final Duration CAP = Duration.ofSeconds(30);

  private final Duration base;
  private final Duration cap;
  private final Random random;

  RetryBackoff(Duration base, Duration cap, Random random) {
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  public RetryBackoff(Random random) {
    this(BASE, CAP, random);
  }

  /** The ceiling of the wait after {@code attemptsSoFar} (at least 1) failed attempts. */
  public Duration ceiling(int attemptsSoFar) {
    int doublings = Math.min(Math.max(attemptsSoFar, 1) - 1, 30);
    long millis = base.toMillis() << doublings;
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }

  /** A random wait from zero up to {@link #ceiling(int)}. */
  public Duration delay(int attemptsSoFar) {
    long ceiling = ceiling(attemptsSoFar).toMillis();
    return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
  }
}
