package io.oneshot.fakes.aci;

import io.oneshot.fakes.aci.internal.FaultPlan;
import io.oneshot.fakes.aci.internal.FaultPlan.PutRefusal;
import io.oneshot.fakes.aci.internal.FaultPlan.RequestFault;
import java.time.Duration;
import java.util.Objects;

/**
 * Failures a {@link FakeAci} applies to its next requests and container groups, in ARM's wire form.
 * Each planned fault is used once, in the order planned; {@link #randomly(double)} adds throttling and
 * 503s drawn from the fake's seed, so a failing schedule replays. Operation names are ARM's
 * ({@code ContainerGroups_CreateOrUpdate}, {@code ContainerGroups_Get}, {@code ContainerGroups_Delete},
 * {@code ContainerGroups_ListByResourceGroup}, {@code AsyncOperation}, {@code OperationResult}).
 * Methods return {@code this}; none blocks. Thread-safe.
 */
public final class AciFaults {
  public static final String CREATE = "ContainerGroups_CreateOrUpdate";
  public static final String GET = "ContainerGroups_Get";
  public static final String DELETE = "ContainerGroups_Delete";
  public static final String LIST = "ContainerGroups_ListByResourceGroup";

  private final FaultPlan plan;

  AciFaults(FaultPlan plan) {
    this.plan = plan;
  }

  /**
   * The next {@code times} calls of {@code operation} answer 429 {@code SubscriptionRequestsThrottled}
   * with {@code Retry-After} (see {@link #retryAfter(int)}).
   */
  public AciFaults throttleNext(String operation, int times) {
    plan.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.THROTTLE, times);
    return this;
  }

  /** The seconds the 429 answers put in {@code Retry-After} (default 1). */
  public AciFaults retryAfter(int seconds) {
    plan.retryAfterSeconds(seconds);
    return this;
  }

  /** The next {@code times} calls answer 503 {@code ServiceUnavailable}. */
  public AciFaults serviceUnavailableNext(String operation, int times) {
    plan.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.SERVICE_UNAVAILABLE, times);
    return this;
  }

  /**
   * The next {@code times} calls of {@code operation} get no answer: the connection is closed before any status
   * line, as a network reset or an abruptly closing proxy does. The Azure SDK sees an I/O error (reactor-netty's
   * premature close) and retries it as such.
   */
  public AciFaults resetNext(String operation, int times) {
    plan.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.RESET, times);
    return this;
  }

  /**
   * The next {@code times} successful calls of {@code operation} take effect (a PUT creates the group, a DELETE
   * deletes it) and then lose their answer: the connection is closed before any status line, so the SDK sees an
   * I/O error and retries. Calls answered with an error do not use the plan. Recorded with status 0 and
   * {@code AnswerLost}.
   */
  public AciFaults loseAnswerNext(String operation, int times) {
    plan.addAnswerLoss(Objects.requireNonNull(operation, "operation"), FaultPlan.AnswerLoss.RESET, times);
    return this;
  }

  /**
   * The next {@code times} successful calls of {@code operation} take effect and are then answered 503
   * {@code ServiceUnavailable} instead of their result.
   */
  public AciFaults serviceUnavailableAfterEffectNext(String operation, int times) {
    plan.addAnswerLoss(Objects.requireNonNull(operation, "operation"), FaultPlan.AnswerLoss.SERVICE_UNAVAILABLE,
        times);
    return this;
  }

  /** The next {@code times} calls answer 409 {@code Conflict} (another operation is in progress). */
  public AciFaults conflictNext(String operation, int times) {
    plan.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.CONFLICT, times);
    return this;
  }

  /** The next {@code times} calls answer 403 {@code AuthorizationFailed}, naming the action and scope. */
  public AciFaults authorizationFailedNext(String operation, int times) {
    plan.addRequestFault(Objects.requireNonNull(operation, "operation"), RequestFault.AUTHORIZATION_FAILED, times);
    return this;
  }

  /**
   * The next {@code times} valid PUTs of a new group answer 409 {@code ServiceUnavailable} "The requested
   * resource is not available in the location …" (ACI's capacity answer).
   */
  public AciFaults capacityFailureNext(int times) {
    plan.addRefusal(PutRefusal.CAPACITY, times);
    return this;
  }

  /** Every PUT of a new group with this priority ({@code Spot} or {@code Regular}) gets the capacity answer. */
  public AciFaults noCapacityFor(String priority) {
    plan.noCapacityFor(Objects.requireNonNull(priority, "priority"));
    return this;
  }

  /** The next {@code times} valid PUTs answer 409 {@code SkuNotAvailable}. */
  public AciFaults skuNotAvailableNext(int times) {
    plan.addRefusal(PutRefusal.SKU_NOT_AVAILABLE, times);
    return this;
  }

  /** The next {@code times} valid PUTs answer 409 {@code ContainerGroupQuotaReached} naming the quota. */
  public AciFaults quotaReachedNext(int times) {
    plan.addRefusal(PutRefusal.QUOTA_REACHED, times);
    return this;
  }

  /** The next {@code times} valid PUTs answer 400 {@code InaccessibleImage}. */
  public AciFaults inaccessibleImageNext(int times) {
    plan.addRefusal(PutRefusal.INACCESSIBLE_IMAGE, times);
    return this;
  }

  /**
   * The next {@code times} new groups are accepted (201) and then fail their image pull: the container
   * waits with {@code Failed}/{@code BackOff} pull events and provisioningState becomes {@code Failed}.
   */
  public AciFaults imagePullFailureNext(int times) {
    plan.addFate(new FaultPlan.ImagePullFailure(), times);
    return this;
  }

  /**
   * The next {@code times} new groups are accepted and then fail provisioning for lack of capacity
   * ({@code Failed}, an {@code InsufficientCapacity} event, the async operation {@code Failed}).
   */
  public AciFaults capacityFailureAfterAcceptNext(int times) {
    plan.addFate(new FaultPlan.CapacityAfterAccept(), times);
    return this;
  }

  /** The runners of the next {@code times} groups keep running but never come online. */
  public AciFaults runnerNeverOnlineNext(int times) {
    plan.addFate(new FaultPlan.NeverOnline(), times);
    return this;
  }

  /** The runners of the next {@code times} groups exit with {@code exitCode} while booting. */
  public AciFaults runnerCrashOnBootNext(int times, int exitCode) {
    plan.addFate(new FaultPlan.CrashOnBoot(exitCode), times);
    return this;
  }

  /** Each request, with this probability, is answered 429 or 503 instead, drawn from the fake's seed. */
  public AciFaults randomly(double probability) {
    plan.randomRate(probability);
    return this;
  }

  /** Every answer is delayed by this much real time (keep it small). */
  public AciFaults latency(Duration latency) {
    plan.latency(Objects.requireNonNull(latency, "latency"));
    return this;
  }

  /** Forgets every planned fault, the random rate, the priorities without capacity and the latency. */
  public void reset() {
    plan.reset();
  }
}
