package io.oneshot.github;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the client tries: attempts per call, the most it waits in all for one call (including
 * rate-limit waits), and the bounds of its exponential backoff with jitter on 5xx and connection
 * errors.
 */
public record RetryPolicy(int maxAttempts, Duration maxTotalWait, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    Objects.requireNonNull(maxTotalWait, "maxTotalWait");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
  }

  /** Six attempts, backoff from 500 ms up to 30 s, at most 10 minutes of waiting per call. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /** One attempt, no waiting: every error surfaces at once. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }
}
