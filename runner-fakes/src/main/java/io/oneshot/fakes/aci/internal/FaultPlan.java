package io.oneshot.fakes.aci.internal;

import io.oneshot.fakes.internal.Planned;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The faults planned for a fake ACI's next requests and container groups: each planned fault is used
 * once, in the order planned; optional random faults come from the fake's seed, so a schedule
 * replays. Thread-safe.
 */
public final class FaultPlan {
  /** A fault answered instead of the operation; RESET answers nothing and drops the connection. */
  public enum RequestFault { THROTTLE, SERVICE_UNAVAILABLE, CONFLICT, AUTHORIZATION_FAILED, RESET }

  /** A refusal of a valid PUT, answered synchronously. */
  public enum PutRefusal { CAPACITY, SKU_NOT_AVAILABLE, QUOTA_REACHED, INACCESSIBLE_IMAGE }

  /**
   * How an answer is lost after the request took effect: RESET closes the connection before any status line,
   * SERVICE_UNAVAILABLE answers 503 {@code ServiceUnavailable} instead of the result.
   */
  public enum AnswerLoss { RESET, SERVICE_UNAVAILABLE }

  /** What happens to one new container group. */
  public sealed interface Fate {}

  /** Runs normally. */
  public record Normal() implements Fate {}

  /** The image pull fails: provisioningState Failed, pull failure events. */
  public record ImagePullFailure() implements Fate {}

  /** Accepted, then provisioning fails for lack of capacity. */
  public record CapacityAfterAccept() implements Fate {}

  /** The runner keeps running but never comes online. */
  public record NeverOnline() implements Fate {}

  /** The runner exits with this code while booting. */
  public record CrashOnBoot(int exitCode) implements Fate {}

  private final Planned<RequestFault> requestFaults = new Planned<>();
  private final Planned<PutRefusal> refusals = new Planned<>();
  private final Set<String> withoutCapacity = new HashSet<>();
  private final Planned<Fate> fates = new Planned<>();
  private final Planned<AnswerLoss> answerLosses = new Planned<>();
  private final Random random;
  private double randomRate;
  private Duration latency = Duration.ZERO;
  private int retryAfterSeconds = 1;

  public FaultPlan(long seed) {
    this.random = new Random(seed);
  }

  public synchronized void addRequestFault(String operation, RequestFault fault, int times) {
    requestFaults.add(operation, fault, times);
  }

  /** The fault for this request: a planned one first, else a random one at the random rate. */
  public synchronized Optional<RequestFault> nextRequestFault(String operation) {
    Optional<RequestFault> planned = requestFaults.next(operation);
    if (planned.isPresent()) {
      return planned;
    }
    if (randomRate > 0 && random.nextDouble() < randomRate) {
      return Optional.of(random.nextBoolean() ? RequestFault.THROTTLE : RequestFault.SERVICE_UNAVAILABLE);
    }
    return Optional.empty();
  }

  public synchronized void addAnswerLoss(String operation, AnswerLoss loss, int times) {
    answerLosses.add(operation, loss, times);
  }

  /** How this successful request's answer is lost, if planned (consumes it). */
  public synchronized Optional<AnswerLoss> nextAnswerLoss(String operation) {
    return answerLosses.next(operation);
  }

  public synchronized void addRefusal(PutRefusal refusal, int times) {
    refusals.add(refusal, times);
  }

  public synchronized void noCapacityFor(String priority) {
    withoutCapacity.add(priority);
  }

  /** The refusal of this PUT, if any: a priority without capacity, else a planned refusal (consumed). */
  public synchronized Optional<PutRefusal> nextRefusal(String priority) {
    if (withoutCapacity.contains(priority)) {
      return Optional.of(PutRefusal.CAPACITY);
    }
    return refusals.next();
  }

  public synchronized void addFate(Fate fate, int times) {
    fates.add(fate, times);
  }

  public synchronized Fate nextFate() {
    return fates.next().orElseGet(Normal::new);
  }

  public synchronized void randomRate(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be within [0, 1]");
    }
    this.randomRate = rate;
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

  public synchronized void retryAfterSeconds(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("Retry-After must not be negative");
    }
    this.retryAfterSeconds = seconds;
  }

  public synchronized int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public synchronized void reset() {
    requestFaults.clear();
    refusals.clear();
    withoutCapacity.clear();
    fates.clear();
    answerLosses.clear();
    randomRate = 0;
    latency = Duration.ZERO;
    retryAfterSeconds = 1;
  }

}
