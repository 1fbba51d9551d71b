package io.oneshot.fakes.github.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * GitHub's primary ("core") rate limit: a budget per credential that resets one hour after the window
 * opened, on the injected clock. Thread-safe.
 */
public final class RateLimiter {
  /** The length of a rate-limit window. */
  public static final Duration WINDOW = Duration.ofHours(1);

  /**
   * The bucket's state, as sent in the {@code x-ratelimit-*} headers.
   *
   * @param limit requests per window
   * @param remaining requests left
   * @param used requests used
   * @param resetEpochSecond when the window ends, in UTC epoch seconds
   */
  public record Snapshot(int limit, int remaining, int used, long resetEpochSecond) {}

  private static final class Bucket {
    int limit;
    int used;
    Instant reset;
  }

  private final Clock clock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** The bucket's state without using it. */
  public synchronized Snapshot peek(String key, int limit) {
    return snapshot(bucket(key, limit));
  }

  /** Whether the bucket has nothing left in the current window. */
  public synchronized boolean exhausted(String key, int limit) {
    Bucket bucket = bucket(key, limit);
    return bucket.used >= bucket.limit;
  }

  /** Uses one request of the bucket (never below zero remaining). */
  public synchronized Snapshot consume(String key, int limit) {
    Bucket bucket = bucket(key, limit);
    if (bucket.used < bucket.limit) {
      bucket.used++;
    }
    return snapshot(bucket);
  }

  /** Spends the whole remaining budget of the current window (opening one if needed). */
  public synchronized void exhaust(String key, int limit) {
    Bucket bucket = bucket(key, limit);
    bucket.used = bucket.limit;
  }

  private Bucket bucket(String key, int limit) {
    Instant now = clock.instant();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket());
    if (bucket.reset == null || !now.isBefore(bucket.reset)) {
      bucket.limit = limit;
      bucket.used = 0;
      bucket.reset = now.plus(WINDOW);
    }
    return bucket;
  }

  private static Snapshot snapshot(Bucket bucket) {
    return new Snapshot(bucket.limit, bucket.limit - bucket.used, bucket.used,
        bucket.reset.getEpochSecond());
  }
}
