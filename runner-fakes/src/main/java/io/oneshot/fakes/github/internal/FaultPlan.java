package io.oneshot.fakes.github.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The faults queued for the fake's next requests, and the seeded random faults. Deterministic for a
 * given seed and request order. Thread-safe.
 */
public final class FaultPlan {
  /** Matches every operation. */
  public static final String ANY = "*";

  /** A fault to answer with instead of the real response. */
  public sealed interface Fault {}

  /** Answer {@code status} with a GitHub error body. */
  public record Fail(int status) implements Fault {}

  /** Answer 403 with {@code retry-after} and the secondary rate limit message. */
  public record SecondaryRateLimit(int retryAfterSeconds) implements Fault {}

  /** Answer 403 with the secondary rate limit message and {@code retry-after} as an HTTP-date. */
  public record SecondaryRateLimitUntil(Instant retryAt) implements Fault {}

  /** Answer 403 with the older "abuse detection mechanism" message and no {@code retry-after}. */
  public record AbuseDetection() implements Fault {}

  private final long seed;
  private final Map<String, Deque<Fault>> queued = new HashMap<>();
  private final Map<String, Integer> resets = new HashMap<>();
  private Random random;
  private Duration latency = Duration.ZERO;
  private double probability;
  private int[] randomStatuses = new int[0];

  public FaultPlan(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  public synchronized void add(String operationId, Fault fault, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
    Deque<Fault> queue = queued.computeIfAbsent(operationId, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
  }

  public synchronized void addResets(String operationId, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
    resets.merge(operationId, times, Integer::sum);
  }

  public synchronized void latency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = latency;
  }

  public synchronized Duration latency() {
    return latency;
  }

  public synchronized void random(double probability, int... statuses) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be in [0, 1]");
    }
    if (probability > 0 && statuses.length == 0) {
      throw new IllegalArgumentException("give at least one status");
    }
    this.probability = probability;
    this.randomStatuses = statuses.clone();
  }

  /** Clears every fault and restarts the random sequence from the seed. */
  public synchronized void reset() {
    queued.clear();
    resets.clear();
    latency = Duration.ZERO;
    probability = 0;
    randomStatuses = new int[0];
    random = new Random(seed);
  }

  /** Whether to drop the connection of this request (consumes one planned reset). */
  public synchronized boolean takeReset(String operationId) {
    return take(resets, operationId) || take(resets, ANY);
  }

  /** The fault for this request, if any (consumes it). */
  public synchronized Optional<Fault> next(String operationId) {
    Fault fault = poll(operationId);
    if (fault == null) {
      fault = poll(ANY);
    }
    if (fault == null && probability > 0 && random.nextDouble() < probability) {
      fault = new Fail(randomStatuses[random.nextInt(randomStatuses.length)]);
    }
    return Optional.ofNullable(fault);
  }

  private Fault poll(String key) {
    Deque<Fault> queue = queued.get(key);
    return queue == null ? null : queue.poll();
  }

  private static boolean take(Map<String, Integer> counts, String key) {
    Integer left = counts.get(key);
    if (left == null || left <= 0) {
      return false;
    }
    counts.put(key, left - 1);
    return true;
  }
}
