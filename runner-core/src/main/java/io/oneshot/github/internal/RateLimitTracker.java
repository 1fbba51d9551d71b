package io.oneshot.github.internal;

import io.oneshot.github.RateLimitBudget;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/** Remembers the primary rate-limit budget the last answer reported. Thread-safe. */
public final class RateLimitTracker {
  private final AtomicReference<RateLimitBudget> last = new AtomicReference<>();

  /** Takes the {@code x-ratelimit-*} headers of an answer, when it has them. */
  public void record(HttpHeaders headers) {
    OptionalLong limit = number(headers, "x-ratelimit-limit");
    OptionalLong remaining = number(headers, "x-ratelimit-remaining");
    OptionalLong reset = number(headers, "x-ratelimit-reset");
    if (limit.isPresent() && remaining.isPresent() && reset.isPresent()) {
      last.set(new RateLimitBudget((int) limit.getAsLong(), (int) remaining.getAsLong(),
          Instant.ofEpochSecond(reset.getAsLong())));
    }
  }

  /** The last budget seen, empty before the first answer with rate-limit headers. */
  public Optional<RateLimitBudget> last() {
    return Optional.ofNullable(last.get());
  }

  static OptionalLong number(HttpHeaders headers, String name) {
    Optional<String> value = headers.firstValue(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.get().trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
