package io.oneshot.core;

import io.oneshot.github.RateLimitBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides how long the fleet waits between polls: starting short (runners should be seen online
 * fast), growing by half each round up to a cap, and never faster than the GitHub rate-limit budget
 * allows once a reserve is kept for stopping the batch. Stateless apart from its settings.
 */
final class PollPacer {
  private final Duration initial;
  private final Duration max;

  PollPacer(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  Duration first() {
    return initial;
  }

  /** The interval after {@code current} when the budget does not force a slower pace. */
  Duration grow(Duration current) {
    Duration next = Duration.ofMillis((long) (current.toMillis() * 1.5));
    return next.compareTo(max) > 0 ? max : next;
  }

  /**
   * The wait before the next poll: {@code interval}, or longer when the remaining budget, minus
   * {@code reserve} requests, spread until the reset, leaves less than one request per interval.
   */
  Duration pace(Duration interval, Optional<RateLimitBudget> budget, Instant now, int reserve) {
    if (budget.isEmpty()) {
      return interval;
    }
    Duration untilReset = Duration.between(now, budget.get().reset());
    if (untilReset.isNegative() || untilReset.isZero()) {
      return interval;
    }
    long usable = Math.max(1, (long) budget.get().remaining() - reserve);
    Duration spread = untilReset.dividedBy(usable);
    return spread.compareTo(interval) > 0 ? spread : interval;
  }
}
