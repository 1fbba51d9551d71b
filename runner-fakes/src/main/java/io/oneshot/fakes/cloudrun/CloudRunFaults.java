package io.oneshot.fakes.cloudrun;

import io.oneshot.fakes.cloudrun.internal.FaultPlan;
import io.oneshot.fakes.cloudrun.internal.FaultPlan.CallFault;
import java.time.Duration;
import java.util.Objects;

/**
 * Failures a {@link FakeCloudRun} applies to its next calls and executions, in the wire form Google uses
 * (a gRPC status, with a {@code google.rpc.ErrorInfo} detail where Google sends one). Planned faults are
 * used once each, in the order planned; {@link #unavailableRate} draws from the fake's seed, so the same
 * seed and call order replay the same failures. Methods are the RPCs' bare names ({@code "RunJob"},
 * {@code "GetExecution"}, {@code "ListExecutions"}, {@code "CancelExecution"}, {@code "GetJob"},
 * {@code "ListTasks"}, {@code "GetOperation"}, ...). Methods return {@code this}; none blocks. Thread-safe.
 */
public final class CloudRunFaults {
  private final FaultPlan plan;

  CloudRunFaults(FaultPlan plan) {
    this.plan = plan;
  }

  /**
   * The next {@code times} calls of {@code method} hit the per-minute request quota: RESOURCE_EXHAUSTED
   * "Quota exceeded for quota metric 'Requests' ..." with ErrorInfo reason {@code RATE_LIMIT_EXCEEDED}.
   */
  public CloudRunFaults rateLimitNext(String method, int times) {
    plan.addCallFault(Objects.requireNonNull(method, "method"), CallFault.RATE_LIMITED, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code method} exceed a resource quota: RESOURCE_EXHAUSTED "Quota exceeded
   * for total allowable CPU per project per region." without a rate-limit ErrorInfo.
   */
  public CloudRunFaults quotaExceededNext(String method, int times) {
    plan.addCallFault(Objects.requireNonNull(method, "method"), CallFault.QUOTA_EXCEEDED, times);
    return this;
  }

  /** The next {@code times} calls of {@code method} answer UNAVAILABLE "The service is currently unavailable.". */
  public CloudRunFaults unavailableNext(String method, int times) {
    plan.addCallFault(Objects.requireNonNull(method, "method"), CallFault.UNAVAILABLE, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code method} answer DEADLINE_EXCEEDED "Deadline Exceeded", as Google's
   * front end does when Cloud Run did not answer in time (the client sees the same code when its own deadline
   * passes).
   */
  public CloudRunFaults deadlineExceededNext(String method, int times) {
    plan.addCallFault(Objects.requireNonNull(method, "method"), CallFault.DEADLINE_EXCEEDED, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code method} fail as a call whose connection was reset: UNAVAILABLE
   * "io exception: Connection reset by peer", the status grpc-java reports then (the in-process transport cannot
   * reset, so the fake answers that status itself).
   */
  public CloudRunFaults connectionResetNext(String method, int times) {
    plan.addCallFault(Objects.requireNonNull(method, "method"), CallFault.RESET, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code method} that succeed take effect (RunJob starts the execution,
   * CancelExecution cancels it) and then lose their answer: the client gets UNAVAILABLE "io exception: Connection
   * reset by peer" instead of the result, as when the connection drops after the request was handled. Calls that
   * fail do not use the plan. Recorded as injected, with the status the client saw.
   */
  public CloudRunFaults loseAnswerNext(String method, int times) {
    plan.addAnswerLoss(Objects.requireNonNull(method, "method"), FaultPlan.AnswerLoss.RESET, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code method} that succeed take effect and are then answered UNAVAILABLE
   * "The service is currently unavailable." instead of their result.
   */
  public CloudRunFaults unavailableAfterEffectNext(String method, int times) {
    plan.addAnswerLoss(Objects.requireNonNull(method, "method"), FaultPlan.AnswerLoss.UNAVAILABLE, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code method} are refused by IAM: PERMISSION_DENIED "Permission
   * 'run.jobs.runWithOverrides' denied on resource '//run.googleapis.com/projects/...' (or it may not
   * exist)." with ErrorInfo reason {@code IAM_PERMISSION_DENIED} and the permission in its metadata.
   */
  public CloudRunFaults permissionDeniedNext(String method, int times) {
    plan.addCallFault(Objects.requireNonNull(method, "method"), CallFault.PERMISSION_DENIED, times);
    return this;
  }

  /** Every call fails UNAVAILABLE with this probability, drawn from the seed (0 turns it off). */
  public CloudRunFaults unavailableRate(double probability) {
    plan.unavailableRate(probability);
    return this;
  }

  /**
   * The next {@code times} executions cannot pull their image: FAILED as provisioning ends, with the Completed
   * and ResourcesAvailable conditions' reason {@code CONTAINER_MISSING} and message "Image 'IMAGE' not found.".
   */
  public CloudRunFaults imageMissingNext(int times) {
    plan.addFate(new FaultPlan.ImageMissing(), times);
    return this;
  }

  /**
   * The next {@code times} executions get no resources: FAILED as provisioning ends with "Task ... failed to
   * start: Quota exceeded for total allowable CPU per project per region.".
   */
  public CloudRunFaults noResourcesNext(int times) {
    plan.addFate(new FaultPlan.NoResources(), times);
    return this;
  }

  /** The runners of the next {@code times} executions keep running but never come online. */
  public CloudRunFaults runnerNeverOnlineNext(int times) {
    plan.addFate(new FaultPlan.NeverOnline(), times);
    return this;
  }

  /** The runners of the next {@code times} executions exit with {@code exitCode} while booting. */
  public CloudRunFaults runnerCrashOnBootNext(int times, int exitCode) {
    plan.addFate(new FaultPlan.CrashOnBoot(exitCode), times);
    return this;
  }

  /** Every answer is delayed by this much real time (keep it small). */
  public CloudRunFaults latency(Duration latency) {
    plan.latency(Objects.requireNonNull(latency, "latency"));
    return this;
  }

  /** Forgets every planned fault, the random rate and the latency. */
  public void reset() {
    plan.reset();
  }
}
