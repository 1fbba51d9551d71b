package io.oneshot.github.internal;

import io.oneshot.github.RetryPolicy;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/**
 * The retry arithmetic shared by the GitHub REST client and the Actions-service (scale-set) client:
 * reading {@code Retry-After} and exponential backoff with jitter. Stateless; thread-safe.
 */
public final class HttpRetries {
  private HttpRetries() {}

  /**
   * The {@code retry-after} header as a wait: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3,
   * {@code Retry-After = HTTP-date / delay-seconds}). A date in the past means "now"; an absent or
   * unreadable value is empty.
   */
  public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
    Optional<String> value = headers.firstValue("retry-after").map(String::trim);
    if (value.isEmpty() || value.get().isEmpty()) {
      return Optional.empty();
    }
    OptionalLong seconds = RateLimitTracker.number(headers, "retry-after");
    if (seconds.isPresent()) {
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds.getAsLong())));
    }
    try {
      Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration until = Duration.between(clock.instant(), at);
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The wait before retry number {@code attempt} (1-based): {@code initialBackoff * 2^(attempt-1)} capped
   * at {@code maxBackoff}, of which the upper half is jitter.
   */
  public static Duration backoff(RetryPolicy policy, int attempt, Random random) {
    long ceiling = Math.min(policy.maxBackoff().toMillis(),
        policy.initialBackoff().toMillis() * (1L << Math.min(attempt - 1, 20)));
    long half = ceiling / 2;
    long jitter;
    synchronized (random) {
      jitter = half == 0 ? 0 : (long) (random.nextDouble() * (ceiling - half));
    }
    return Duration.ofMillis(half + jitter);
  }
}
