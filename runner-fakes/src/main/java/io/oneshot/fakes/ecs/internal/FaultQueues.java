package io.oneshot.fakes.ecs.internal;

import io.oneshot.fakes.internal.Planned;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The faults planned for a fake ECS/EC2's next requests and tasks. Each planned fault is used once, in
 * the order planned. No randomness: the same plan and request order give the same answers. Thread-safe.
 */
public final class FaultQueues {
  /** A front-door fault answered instead of the operation; RESET answers nothing and drops the connection. */
  public enum RequestFault { THROTTLE, SERVER_ERROR, ACCESS_DENIED, RESET }

  /**
   * How an answer is lost after the operation took effect: RESET drops the connection before any status line,
   * SERVER_ERROR answers 500 {@code ServerException} instead of the result.
   */
  public enum AnswerLoss { RESET, SERVER_ERROR }

  /** What happens to one new task. */
  public sealed interface TaskFate {}

  /** Runs normally. */
  public record Normal() implements TaskFate {}

  /** The image pull fails: STOPPED from ACTIVATING with TaskFailedToStart. */
  public record ImagePullFailure() implements TaskFate {}

  /** Stops as PENDING ends, with this stop code and reason. */
  public record StopWhilePending(String stopCode, String reason) implements TaskFate {}

  /** The runner process keeps running but never connects to GitHub. */
  public record NeverOnline() implements TaskFate {}

  /** The runner process exits with this code while booting. */
  public record CrashOnBoot(int exitCode) implements TaskFate {}

  private final Planned<RequestFault> requestFaults = new Planned<>();
  private final Planned<TaskFate> fates = new Planned<>();
  private final Planned<AnswerLoss> answerLosses = new Planned<>();
  private final Set<String> withoutCapacity = new HashSet<>();
  private int capacityFailures;
  private Duration latency = Duration.ZERO;

  public synchronized void addRequestFault(String operation, RequestFault fault, int times) {
    requestFaults.add(operation, fault, times);
  }

  /** The fault for this request, if one is planned (consumes it). */
  public synchronized Optional<RequestFault> nextRequestFault(String operation) {
    return requestFaults.next(operation);
  }

  public synchronized void addAnswerLoss(String operation, AnswerLoss loss, int times) {
    answerLosses.add(operation, loss, times);
  }

  /** How this operation's answer is lost after it took effect, if planned (consumes it). */
  public synchronized Optional<AnswerLoss> nextAnswerLoss(String operation) {
    return answerLosses.next(operation);
  }

  public synchronized void addCapacityFailures(int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative");
    }
    capacityFailures += times;
  }

  public synchronized void noCapacityOn(String capacityProviderOrLaunchType) {
    withoutCapacity.add(capacityProviderOrLaunchType);
  }

  /** Whether this RunTask is refused for capacity (consumes one planned failure unless the option has none). */
  public synchronized boolean refuseCapacity(String capacityProviderOrLaunchType) {
    if (withoutCapacity.contains(capacityProviderOrLaunchType)) {
      return true;
    }
    if (capacityFailures > 0) {
      capacityFailures--;
      return true;
    }
    return false;
  }

  public synchronized void addFate(TaskFate fate, int times) {
    fates.add(fate, times);
  }

  /** The fate of the next new task (consumes it). */
  public synchronized TaskFate nextFate() {
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

  /** Forgets every planned fault and the latency. */
  public synchronized void reset() {
    requestFaults.clear();
    fates.clear();
    answerLosses.clear();
    withoutCapacity.clear();
    capacityFailures = 0;
    latency = Duration.ZERO;
  }

}
