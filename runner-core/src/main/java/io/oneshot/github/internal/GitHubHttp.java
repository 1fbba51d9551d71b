package io.oneshot.github.internal;

import io.oneshot.github.GitHubApiException;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.RateLimitBudget;
import io.oneshot.github.RetryPolicy;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends GitHub REST calls with the retry rules GitHub documents: {@code retry-after} first, then
 * {@code x-ratelimit-reset} when the budget is spent, at least a minute for a secondary limit without
 * either, and exponential backoff with jitter on 5xx and connection errors; attempts and total wait
 * capped by the {@link RetryPolicy}. Blocks for the call and its waits. Thread-safe.
 */
public final class GitHubHttp {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubHttp.class);
  private static final Duration SECONDARY_LIMIT_MINIMUM = Duration.ofMinutes(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String API_VERSION = "2022-11-28";

  private final HttpClient http;
  private final String apiRoot;
  private final GitHubScope scope;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RetryPolicy policy;
  private final Random random;
  private final String userAgent;
  private final RateLimitTracker rateLimit = new RateLimitTracker();

  public GitHubHttp(HttpClient http, URI apiUrl, GitHubScope scope, Clock clock, Sleeper sleeper,
      RetryPolicy policy, Random random, String userAgent) {
    this.http = http;
    String root = apiUrl.toString();
    this.apiRoot = root.endsWith("/") ? root : root + "/";
    this.scope = scope;
    this.clock = clock;
    this.sleeper = sleeper;
    this.policy = policy;
    this.random = random;
    this.userAgent = userAgent;
  }

  /** The primary budget the last answer reported. */
  public Optional<RateLimitBudget> lastRateLimit() {
    return rateLimit.last();
  }

  /**
   * Sends the call, retrying as the policy allows, and returns a 2xx answer or one whose status the
   * call expects.
   *
   * @param authorization gives the {@code Authorization} header value; asked again on every attempt
   * @throws GitHubApiException when GitHub refuses for good, or the retries or the wait budget run out
   */
  public ApiResponse send(ApiCall call, Supplier<String> authorization) {
    return send(call, authorization, Optional.empty());
  }

  /**
   * As {@link #send(ApiCall, Supplier)}, but never sleeps past {@code deadline}: a retry or rate-limit
   * wait that would end after it fails at once with a retryable {@link GitHubApiException}, and so does
   * a call made when the deadline has already passed.
   */
  public ApiResponse send(ApiCall call, Supplier<String> authorization, Optional<Instant> deadline) {
    Instant started = clock.instant();
    Duration waited = Duration.ZERO;
    if (deadline.isPresent() && !started.isBefore(deadline.get())) {
      throw new GitHubApiException("GitHub " + call.operation() + " not sent: the caller's deadline "
          + deadline.get() + " has passed", 0, Optional.empty(), false, true, null);
    }
    for (int attempt = 1; ; attempt++) {
      waited = waited.plus(waitForSpentBudget(call, started, waited, deadline));
      ApiResponse response;
      try {
        response = exchange(call, authorization.get());
      } catch (IOException e) {
        Duration backoff = backoff(attempt);
        if (attempt >= policy.maxAttempts() || exceeds(waited, backoff)) {
          throw new GitHubApiException("GitHub " + call.operation() + " failed: could not reach " + hostOf()
              + " after " + attempt + " attempt(s) (" + e.getClass().getSimpleName() + "); check the network"
              + " and github-api-url", 0, Optional.empty(), false, true, e);
        }
        if (endsAfter(deadline, backoff)) {
          throw pastDeadline(call, deadline.get(), backoff, "failed: could not reach " + hostOf() + " ("
              + e.getClass().getSimpleName() + ")", 0, false);
        }
        LOG.debug("GitHub {} {}: {} on attempt {}, retrying in {} ms", call.method(), call.path(),
            e.getClass().getSimpleName(), attempt, backoff.toMillis());
        waited = waited.plus(pause(backoff));
        continue;
      }
      rateLimit.record(response.headers());
      if (response.isSuccess() || call.expectedStatuses().contains(response.status())) {
        return response;
      }
      Optional<Duration> retryIn = retryDelay(response, attempt);
      if (retryIn.isEmpty()) {
        throw failure(call, response);
      }
      boolean limited = isRateLimited(response);
      if (attempt >= policy.maxAttempts() || exceeds(waited, retryIn.get())) {
        throw new GitHubApiException("GitHub " + call.operation() + " failed with " + response.status()
            + (limited ? " (rate limited" + resetHint(response) + ")" : "") + " after " + attempt
            + " attempt(s): " + githubMessage(response), response.status(), response.requestId(), limited, true, null);
      }
      if (endsAfter(deadline, retryIn.get())) {
        throw pastDeadline(call, deadline.get(), retryIn.get(), "failed with " + response.status()
            + (limited ? " (rate limited)" : "") + ": " + githubMessage(response), response.status(), limited);
      }
      LOG.debug("GitHub {} {} -> {}{}, retrying in {} ms", call.method(), call.path(), response.status(),
          limited ? " (rate limited)" : "", retryIn.get().toMillis());
      waited = waited.plus(pause(retryIn.get()));
    }
  }

  private ApiResponse exchange(ApiCall call, String authorizationHeader) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiRoot + call.path()))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", API_VERSION)
        .header("User-Agent", userAgent)
        .header("Authorization", authorizationHeader);
    if (call.jsonBody().isPresent()) {
      request.header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofString(call.jsonBody().get()));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    long sent = System.nanoTime();
    try {
      HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      ApiResponse response = new ApiResponse(answer.statusCode(), answer.body() == null ? "" : answer.body(),
          answer.headers());
      LOG.debug("GitHub {} {} -> {} in {} ms (request id {}, remaining {})", call.method(), call.path(),
          response.status(), (System.nanoTime() - sent) / 1_000_000, response.requestId().orElse("-"),
          answer.headers().firstValue("x-ratelimit-remaining").orElse("-"));
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OneshotException("interrupted while calling GitHub " + call.operation(), false, e);
    }
  }

  /** Before sending: when the last answer said the budget is spent, wait for the reset. */
  private Duration waitForSpentBudget(ApiCall call, Instant started, Duration waited, Optional<Instant> deadline) {
    Optional<RateLimitBudget> budget = rateLimit.last();
    if (budget.isEmpty() || budget.get().remaining() > 0) {
      return Duration.ZERO;
    }
    Duration untilReset = Duration.between(clock.instant(), budget.get().reset()).plusSeconds(1);
    if (untilReset.isNegative() || untilReset.isZero()) {
      return Duration.ZERO;
    }
    if (exceeds(waited, untilReset)) {
      throw new GitHubApiException("GitHub " + call.operation() + " not sent: the rate limit of this credential"
          + " is used up until " + budget.get().reset() + ", later than the " + policy.maxTotalWait().toSeconds()
          + " s this call may wait; wait for the reset or use a GitHub App (its limit is separate)",
          403, Optional.empty(), true, true, null);
    }
    if (endsAfter(deadline, untilReset)) {
      throw pastDeadline(call, deadline.get(), untilReset, "not sent: the rate limit of this credential is used up"
          + " until " + budget.get().reset(), 403, true);
    }
    LOG.debug("GitHub rate limit used up; waiting {} s for the reset before {}", untilReset.toSeconds(),
        call.operation());
    return pause(untilReset);
  }

  private Optional<Duration> retryDelay(ApiResponse response, int attempt) {
    if (isRateLimited(response)) {
      Optional<Duration> retryAfter = retryAfter(response);
      if (retryAfter.isPresent()) {
        return retryAfter;
      }
      OptionalLong remaining = RateLimitTracker.number(response.headers(), "x-ratelimit-remaining");
      OptionalLong reset = RateLimitTracker.number(response.headers(), "x-ratelimit-reset");
      if (remaining.isPresent() && remaining.getAsLong() == 0 && reset.isPresent()) {
        Duration untilReset = Duration.between(clock.instant(), Instant.ofEpochSecond(reset.getAsLong()));
        return Optional.of(untilReset.isNegative() ? Duration.ZERO : untilReset.plusSeconds(1));
      }
      long factor = 1L << Math.min(attempt - 1, 10);
      return Optional.of(SECONDARY_LIMIT_MINIMUM.multipliedBy(factor));
    }
    if (response.status() >= 500) {
      return Optional.of(backoff(attempt));
    }
    return Optional.empty();
  }

  /**
   * The {@code retry-after} header as a wait: GitHub sends delay-seconds, but HTTP allows an HTTP-date
   * too (RFC 9110 section 10.2.3, {@code Retry-After = HTTP-date / delay-seconds}), which proxies and
   * GHES front ends may send. A date in the past means "now"; an unreadable value counts as absent.
   */
  Optional<Duration> retryAfter(ApiResponse response) {
    Optional<Duration> wait = HttpRetries.retryAfter(response.headers(), clock);
    if (wait.isEmpty() && response.headers().firstValue("retry-after").isPresent()) {
      LOG.debug("ignoring an unreadable retry-after header from GitHub");
    }
    return wait;
  }

  /**
   * 403 or 429 that GitHub marks as a rate limit (headers or its message). GitHub documents a secondary
   * limit as "403 or 429 with an error message that indicates that you exceeded a secondary rate limit"
   * (docs: rest/using-the-rest-api/rate-limits-for-the-rest-api, "Exceeding the rate limit"); older
   * answers, still seen on GHES, say "You have triggered an abuse detection mechanism" instead. Either
   * is a limit to wait out, not a missing permission.
   */
  static boolean isRateLimited(ApiResponse response) {
    if (response.status() != 403 && response.status() != 429) {
      return false;
    }
    if (response.status() == 429 || response.headers().firstValue("retry-after").isPresent()) {
      return true;
    }
    if (response.headers().firstValue("x-ratelimit-remaining").map(String::trim).filter("0"::equals).isPresent()) {
      return true;
    }
    String message = Json.text(response.body(), "message").orElse(response.body()).toLowerCase(Locale.ROOT);
    return message.contains("rate limit") || message.contains("abuse");
  }

  private Duration backoff(int attempt) {
    return HttpRetries.backoff(policy, attempt, random);
  }

  private boolean exceeds(Duration waited, Duration next) {
    return waited.plus(next).compareTo(policy.maxTotalWait()) > 0;
  }

  private boolean endsAfter(Optional<Instant> deadline, Duration wait) {
    return deadline.isPresent() && clock.instant().plus(wait).isAfter(deadline.get());
  }

  private GitHubApiException pastDeadline(ApiCall call, Instant deadline, Duration wait, String what,
      int status, boolean limited) {
    return new GitHubApiException("GitHub " + call.operation() + " " + what + "; not retried: waiting "
        + wait.toSeconds() + " s would end past the caller's deadline " + deadline, status,
        Optional.empty(), limited, true, null);
  }

  private Duration pause(Duration duration) {
    try {
      sleeper.sleep(duration);
      return duration;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OneshotException("interrupted while waiting to retry a GitHub call", false, e);
    }
  }

  private GitHubApiException failure(ApiCall call, ApiResponse response) {
    int status = response.status();
    String hint = status == 401 || status == 403 || status == 404
        ? "; " + PermissionHints.forStatus(status, scope, call.operation())
        : "";
    return new GitHubApiException("GitHub " + call.operation() + " on " + scope.describe() + " failed with "
        + status + ": " + githubMessage(response) + hint, status, response.requestId(), false, false, null);
  }

  private String resetHint(ApiResponse response) {
    OptionalLong reset = RateLimitTracker.number(response.headers(), "x-ratelimit-reset");
    return reset.isPresent() ? "; the budget resets at " + Instant.ofEpochSecond(reset.getAsLong()) : "";
  }

  /** GitHub's own {@code message}, cut short; GitHub's messages do not echo credentials. */
  private static String githubMessage(ApiResponse response) {
    String message = Json.text(response.body(), "message").orElse("(no message)");
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  private String hostOf() {
    return URI.create(apiRoot).getHost();
  }
}
