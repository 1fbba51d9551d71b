package io.oneshot.testkit.cloudrun.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The faults planned for a fake Cloud Run's next calls and executions. Planned faults are used once each,
 * in order; random transient faults come from the fake's seed, so the same seed and call order give the
 * same answers. Thread-safe.
 */
public final class FaultPlan {
  /** A fault answered instead of the RPC. */
  public enum CallFault { RATE_LIMITED, QUOTA_EXCEEDED, UNAVAILABLE, PERMISSION_DENIED }

  /** What happens to one new execution. */
  public sealed interface ExecutionFate {}

  /** Runs normally. */
  public record Normal() implements ExecutionFate {}

  /** Its container image cannot be found: fails as provisioning ends, reason CONTAINER_MISSING. */
  public record ImageMissing() implements ExecutionFate {}

  /** No resources for its task: fails as provisioning ends, with a quota message. */
  public record NoResources() implements ExecutionFate {}

  /** Its runner keeps running but never connects. */
  public record NeverOnline() implements ExecutionFate {}

  /** Its runner exits with this code while booting. */
  public record CrashOnBoot(int exitCode) implements ExecutionFate {}

  private final Random random;
  private final Map<String, Deque<CallFault>> callFaults = new HashMap<>();
  private final Deque<ExecutionFate> fates = new ArrayDeque<>();
  private double unavailableRate;
  private Duration latency = Duration.ZERO;

  public FaultPlan(long seed) {
    this.random = new Random(seed ^ 0x5DEECE66DL);
  }

  public synchronized void addCallFault(String method, CallFault fault, int times) {
    requireTimes(times);
    Deque<CallFault> queue = callFaults.computeIfAbsent(method, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
  }

  /** The fault for this call, planned first, else drawn at the random rate (UNAVAILABLE); consumes it. */
  public synchronized Optional<CallFault> nextCallFault(String method) {
    Deque<CallFault> queue = callFaults.get(method);
    CallFault planned = queue == null ? null : queue.poll();
    if (planned != null) {
      return Optional.of(planned);
    }
    if (unavailableRate > 0 && random.nextDouble() < unavailableRate) {
      return Optional.of(CallFault.UNAVAILABLE);
    }
    return Optional.empty();
  }

  public synchronized void unavailableRate(double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("the rate must be in [0, 1)");
    }
    unavailableRate = rate;
  }

  public synchronized void addFate(ExecutionFate fate, int times) {
    requireTimes(times);
    for (int i = 0; i < times; i++) {
      fates.add(fate);
    }
  }

  /** The fate of the next execution (consumes it). */
  public synchronized ExecutionFate nextFate() {
    ExecutionFate fate = fates.poll();
    return fate == null ? new Normal() : fate;
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

  public synchronized void reset() {
    callFaults.clear();
    fates.clear();
    unavailableRate = 0;
    latency = Duration.ZERO;
  }

  private static void requireTimes(int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
  }
}
