package io.oneshot.fakes.ecs;

import io.oneshot.fakes.ecs.internal.FaultQueues;
import io.oneshot.fakes.ecs.internal.FaultQueues.RequestFault;
import java.time.Duration;
import java.util.Objects;

/**
 * Failures a {@link FakeEcs} applies to its next requests and tasks, in the wire form AWS uses. Each
 * planned fault is used once, in the order planned (calls add to the plan); the same plan and request
 * order always give the same answers. Operation names are ECS's and EC2's ({@code "RunTask"},
 * {@code "DescribeTasks"}, {@code "DescribeSubnets"}, ...). Methods return {@code this} for chaining;
 * none blocks. Thread-safe.
 */
public final class EcsFaults {
  /** The stop code of a task that never started. */
  public static final String TASK_FAILED_TO_START = "TaskFailedToStart";
  /** The reason of a Fargate capacity failure (RunTask {@code failures[].reason}). */
  public static final String CAPACITY_UNAVAILABLE =
      "Capacity is unavailable at this time. Please try again later or in a different availability zone";

  private final FaultQueues queues;

  EcsFaults(FaultQueues queues) {
    this.queues = queues;
  }

  /**
   * The next {@code times} calls of {@code operation} are throttled: ECS answers 400
   * {@code ThrottlingException} "Rate exceeded", EC2 503 {@code RequestLimitExceeded}.
   */
  public EcsFaults throttleNext(String operation, int times) {
    queues.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.THROTTLE, times);
    return this;
  }

  /** The next {@code times} calls fail with 500: ECS {@code ServerException}, EC2 {@code InternalError}. */
  public EcsFaults serverErrorNext(String operation, int times) {
    queues.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.SERVER_ERROR, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code operation} get no answer: the connection is closed before any
   * status line, as a network reset or an abruptly closing load balancer does. The SDK sees an I/O error
   * (and retries it as such).
   */
  public EcsFaults resetNext(String operation, int times) {
    queues.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.RESET, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code operation} that succeed take effect (RunTask starts its tasks,
   * StopTask stops the task) and then lose their answer: the connection is closed before any status line, so
   * the SDK sees an I/O error and retries as it does after a reset. Calls answered with an error do not use the
   * plan. Recorded with status 0 and {@code AnswerLost}.
   */
  public EcsFaults loseAnswerNext(String operation, int times) {
    queues.addAnswerLoss(Objects.requireNonNull(operation, "operation"), FaultQueues.AnswerLoss.RESET, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code operation} that succeed take effect and are then answered 500
   * {@code ServerException} instead of their result, as when ECS fails after committing the change. Recorded
   * with status 500 and {@code ServerException}.
   */
  public EcsFaults serverErrorAfterEffectNext(String operation, int times) {
    queues.addAnswerLoss(Objects.requireNonNull(operation, "operation"), FaultQueues.AnswerLoss.SERVER_ERROR, times);
    return this;
  }

  /**
   * The next {@code times} calls are denied by IAM: ECS 400 {@code AccessDeniedException}
   * ("User: arn:aws:sts::ACCOUNT:assumed-role/ci/oneshot is not authorized to perform: ecs:OP on resource:
   * ..."), EC2 403 {@code UnauthorizedOperation}.
   */
  public EcsFaults accessDeniedNext(String operation, int times) {
    queues.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.ACCESS_DENIED, times);
    return this;
  }

  /**
   * The next {@code times} RunTask calls that pass validation answer 200 with no tasks and
   * {@code failures: [{"reason": CAPACITY_UNAVAILABLE}]}.
   */
  public EcsFaults capacityFailureNext(int times) {
    queues.addCapacityFailures(times);
    return this;
  }

  /**
   * Every RunTask whose capacity provider strategy starts with this provider (e.g. {@code FARGATE_SPOT}),
   * or whose launch type is this value, gets the capacity failure, until {@link #reset()}.
   */
  public EcsFaults noCapacityOn(String capacityProvider) {
    queues.noCapacityOn(Objects.requireNonNull(capacityProvider, "capacityProvider"));
    return this;
  }

  /**
   * The next {@code times} tasks fail their image pull: STOPPED from ACTIVATING with stopCode
   * {@code TaskFailedToStart} and stoppedReason {@code CannotPullContainerError: pull image manifest has been
   * retried 5 time(s): failed to resolve reference "IMAGE": not found}. The runner never starts.
   */
  public EcsFaults imagePullFailureNext(int times) {
    queues.addFate(new FaultQueues.ImagePullFailure(), times);
    return this;
  }

  /**
   * The next {@code times} tasks stop as PENDING ends, with this stop code (e.g. {@code TaskFailedToStart},
   * {@code SpotInterruption}) and reason (e.g. {@code ResourceInitializationError: ...}).
   */
  public EcsFaults stopWhilePendingNext(int times, String stopCode, String reason) {
    queues.addFate(new FaultQueues.StopWhilePending(Objects.requireNonNull(stopCode, "stopCode"),
        Objects.requireNonNull(reason, "reason")), times);
    return this;
  }

  /** The runners of the next {@code times} tasks keep running but never come online. */
  public EcsFaults runnerNeverOnlineNext(int times) {
    queues.addFate(new FaultQueues.NeverOnline(), times);
    return this;
  }

  /** The runners of the next {@code times} tasks exit with {@code exitCode} while booting. */
  public EcsFaults runnerCrashOnBootNext(int times, int exitCode) {
    queues.addFate(new FaultQueues.CrashOnBoot(exitCode), times);
    return this;
  }

  /** Every answer is delayed by this much real time (keep it small). */
  public EcsFaults latency(Duration latency) {
    queues.latency(Objects.requireNonNull(latency, "latency"));
    return this;
  }

  /** Forgets every planned fault, the capacity-less providers and the latency. */
  public void reset() {
    queues.reset();
  }
}
