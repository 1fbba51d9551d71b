package io.oneshot.fakes.cloudrun.internal;

import io.oneshot.fakes.internal.Planned;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * The faults planned for a fake Cloud Run's next calls and executions. Planned faults are used once each,
 * in order; random transient faults come from the fake's seed, so the same seed and call order give the
 * same answers. Thread-safe.
 */
public final class FaultPlan {
  /** A fault answered instead of the RPC. */
  public enum CallFault { RATE_LIMITED, QUOTA_EXCEEDED, UNAVAILABLE, PERMISSION_DENIED, DEADLINE_EXCEEDED, RESET }

  /**
   * How an answer is lost after the RPC took effect: RESET as a reset connection (UNAVAILABLE "io exception:
   * Connection reset by peer"), UNAVAILABLE as Google's front end failing (UNAVAILABLE "The service is currently
   * unavailable.").
   */
  public enum AnswerLoss { RESET, UNAVAILABLE }

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
  private final Planned<CallFault> callFaults = new Planned<>();
  private final Planned<ExecutionFate> fates = new Planned<>();
  private final Planned<AnswerLoss> answerLosses = new Planned<>();
  private double unavailableRate;
  private Duration latency = Duration.ZERO;

  public FaultPlan(long seed) {
    this.random = new Random(seed ^ 0x5DEECE66DL);
  }

  public synchronized void addCallFault(String method, CallFault fault, int times) {
    callFaults.add(method, fault, times);
  }

  /** The fault for this call, planned first, else drawn at the random rate (UNAVAILABLE); consumes it. */
  public synchronized Optional<CallFault> nextCallFault(String method) {
    Optional<CallFault> planned = callFaults.next(method);
    if (planned.isPresent()) {
      return planned;
    }
    if (unavailableRate > 0 && random.nextDouble() < unavailableRate) {
      return Optional.of(CallFault.UNAVAILABLE);
    }
    return Optional.empty();
  }

  public synchronized void addAnswerLoss(String method, AnswerLoss loss, int times) {
    answerLosses.add(method, loss, times);
  }

  /** How this successful call's answer is lost, if planned (consumes it). */
  public synchronized Optional<AnswerLoss> nextAnswerLoss(String method) {
    return answerLosses.next(method);
  }

  public synchronized void unavailableRate(double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("the rate must be in [0, 1)");
    }
    unavailableRate = rate;
  }

  public synchronized void addFate(ExecutionFate fate, int times) {
    fates.add(fate, times);
  }

  /** The fate of the next execution (consumes it). */
  public synchronized ExecutionFate nextFate() {
    return fates.next().orElseGet(Normal::new);
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
    answerLosses.clear();
    unavailableRate = 0;
    latency = Duration.ZERO;
  }

}
