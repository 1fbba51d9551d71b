package io.oneshot.core;

import io.oneshot.github.RateLimitBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides how long the fleet waits between polls. Polls start short and grow by half each round up to a cap;
 * for {@link #FAST_PHASE} after the launch and after a container is first seen running (its runner is about to
 * come online)
 * they stay at the initial interval, as long as the GitHub rate-limit budget can pay for the rest of that
 * phase without touching the reserve kept for stopping the batch. Outside that phase polling is never faster
 * than the budget allows once the reserve is kept. Stateless apart from its settings.
 */
final class PollPacer {
  /** How long after the launch, and after a container first runs, the fleet keeps polling at the initial interval. */
  static final Duration FAST_PHASE = Duration.ofSeconds(5);

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

  /**
   * The wait before the next poll inside the fast phase, which ends at {@code fastUntil}: the initial interval
   * when the budget holds, on top of {@code reserve}, the requests the rest of the phase can cost at
   * {@code callsPerRound} per poll (a short burst the budget affords outright); otherwise {@link #pace} of the
   * initial interval, as outside the phase.
   */
  Duration paceFast(Optional<RateLimitBudget> budget, Instant now, Instant fastUntil, int reserve,
      int callsPerRound) {
    if (budget.isEmpty() || !now.isBefore(budget.get().reset())) {
      return initial;
    }
    long roundsLeft = Math.max(1, Duration.between(now, fastUntil).toMillis() / Math.max(1, initial.toMillis()) + 1);
    long burst = roundsLeft * Math.max(1, callsPerRound);
    if (budget.get().remaining() - (long) reserve >= burst) {
      return initial;
    }
    return pace(initial, budget, now, reserve);
  }
}
