package io.oneshot.fakes.github;

import io.oneshot.fakes.github.internal.FaultPlan;
import io.oneshot.fakes.github.internal.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Plans failures of a {@link FakeGitHub}'s next requests. Operation ids are the contract's
 * ({@code actions/generate-runner-jitconfig-for-org}, ...) or {@code "*"} for any operation; a fault
 * planned for a specific operation is used before a wildcard one. Random faults draw from a
 * {@link java.util.Random} seeded with the fake's seed, so a run is reproducible. Faulted requests are
 * counted and recorded like any other. Methods never block and are thread-safe; each call adds to the
 * plan (not idempotent) until {@link #reset()}.
 */
public final class FaultInjector {
  /** Wildcard operation id. */
  public static final String ANY_OPERATION = FaultPlan.ANY;

  private final FaultPlan plan;
  private final RateLimiter limiter;

  FaultInjector(FaultPlan plan, RateLimiter limiter) {
    this.plan = plan;
    this.limiter = limiter;
  }

  /** The next {@code times} requests for the operation are answered with {@code status} and a GitHub error body. */
  public FaultInjector failNext(String operationId, int status, int times) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a fault status is 4xx or 5xx: " + status);
    }
    plan.add(Objects.requireNonNull(operationId, "operationId"), new FaultPlan.Fail(status), times);
    return this;
  }

  /** The next request for the operation gets 403 with {@code retry-after} and the secondary rate limit message. */
  public FaultInjector secondaryRateLimitNext(String operationId, int retryAfterSeconds) {
    plan.add(Objects.requireNonNull(operationId, "operationId"),
        new FaultPlan.SecondaryRateLimit(retryAfterSeconds), 1);
    return this;
  }

  /**
   * The next request for the operation gets 403 with the secondary rate limit message and a
   * {@code retry-after} that is an HTTP-date ({@code Tue, 01 Dec 2026 12:00:00 GMT}) rather than seconds,
   * as RFC 9110 allows.
   */
  public FaultInjector secondaryRateLimitUntilNext(String operationId, Instant retryAt) {
    plan.add(Objects.requireNonNull(operationId, "operationId"),
        new FaultPlan.SecondaryRateLimitUntil(Objects.requireNonNull(retryAt, "retryAt")), 1);
    return this;
  }

  /**
   * The next {@code times} requests for the operation get 403 "You have triggered an abuse detection
   * mechanism" without {@code retry-after}: GitHub's older wording of a secondary limit, which a client
   * must wait out (at least a minute) rather than report as a missing permission.
   */
  public FaultInjector abuseDetectionNext(String operationId, int times) {
    plan.add(Objects.requireNonNull(operationId, "operationId"), new FaultPlan.AbuseDetection(), times);
    return this;
  }

  /**
   * Spends the credential's whole primary budget: until the window's reset time passes on the clock,
   * its requests get 403 "API rate limit exceeded" with {@code x-ratelimit-remaining: 0}. The credential
   * is the token as sent (PAT or installation token), {@code app/<appId>} for App JWTs.
   */
  public FaultInjector exhaustBudget(String credential) {
    limiter.exhaust(Objects.requireNonNull(credential, "credential"), 5000);
    return this;
  }

  /** Delays every response by a real {@code latency} (keep it to a few ms in tests). Replaces the previous latency. */
  public FaultInjector latency(Duration latency) {
    plan.latency(Objects.requireNonNull(latency, "latency"));
    return this;
  }

  /**
   * The next {@code times} requests for the operation get no answer: the server closes the connection,
   * which {@link java.net.http.HttpClient} reports as an {@link java.io.IOException} for a POST or
   * DELETE. HttpClient (JDK 17) silently retries a GET or HEAD once when the connection closes before
   * any response, so one {@code send} of a GET consumes two planned resets before it fails (with one,
   * the retry succeeds, and the call log shows the dropped attempt with status 0).
   */
  public FaultInjector resetNextConnections(String operationId, int times) {
    plan.addResets(Objects.requireNonNull(operationId, "operationId"), times);
    return this;
  }

  /**
   * Each request (after planned faults) fails with {@code probability}, with a status drawn uniformly
   * from {@code statuses}. Replaces the previous random setting; probability 0 turns it off.
   */
  public FaultInjector randomFaults(double probability, int... statuses) {
    plan.random(probability, statuses);
    return this;
  }

  /**
   * Clears every planned, random and latency fault and restarts the random sequence from the seed. An
   * exhausted budget stays exhausted until its reset time.
   */
  public void reset() {
    plan.reset();
  }
}
