package io.oneshot.scaleset.internal;

import io.oneshot.github.RetryPolicy;
import io.oneshot.github.internal.HttpRetries;
import io.oneshot.github.internal.Json;
import io.oneshot.scaleset.ScaleSetException;
import io.oneshot.scaleset.SessionConflictException;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Actions-service calls with the retry rules of GitHub's scale-set client: connection errors, 429
 * and 5xx other than 501 are retried with exponential backoff, honouring {@code Retry-After} on 429 and
 * 503; other 4xx are not. Strips a UTF-8 byte-order mark from bodies. Never logs a header value or a body.
 * Blocks for the call and its waits. Thread-safe.
 */
public final class ActionsServiceHttp {
  private static final Logger LOG = LoggerFactory.getLogger(ActionsServiceHttp.class);

  /** One request: absolute URI, optional JSON body, extra headers, timeout, statuses returned as-is. */
  public record Call(String method, URI uri, Optional<String> jsonBody, String operation,
      Map<String, String> headers, Duration timeout, Set<Integer> passThrough) {}

  /** An answer. */
  public record Answer(int status, String body, HttpHeaders headers) {
    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RetryPolicy policy;
  private final Random random;
  private final String userAgent;

  public ActionsServiceHttp(HttpClient http, Clock clock, Sleeper sleeper, RetryPolicy policy, Random random,
      String userAgent) {
    this.http = http;
    this.clock = clock;
    this.sleeper = sleeper;
    this.policy = policy;
    this.random = random;
    this.userAgent = userAgent;
  }

  /**
   * Sends {@code call}, retrying as described, and returns a 2xx answer or one whose status is in
   * {@code passThrough}.
   *
   * @param authorization the {@code Authorization} header value, asked again on every attempt
   * @throws ScaleSetException when the service refuses for good or the retries run out
   */
  public Answer send(Call call, Supplier<String> authorization) {
    Duration waited = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      Answer answer;
      try {
        answer = exchange(call, authorization.get());
      } catch (IOException e) {
        Duration backoff = HttpRetries.backoff(policy, attempt, random);
        if (attempt >= policy.maxAttempts() || exceeds(waited, backoff)) {
          throw new ScaleSetException("Actions service " + call.operation() + " failed: could not reach "
              + call.uri().getHost() + " after " + attempt + " attempt(s) (" + e.getClass().getSimpleName() + ")",
              0, ScaleSetException.Kind.OTHER, Optional.empty(), Optional.empty(), true, e);
        }
        LOG.debug("Actions service {}: {} on attempt {}, retrying in {} ms", call.operation(),
            e.getClass().getSimpleName(), attempt, backoff.toMillis());
        waited = waited.plus(pause(backoff));
        continue;
      }
      if (answer.isSuccess() || call.passThrough().contains(answer.status())) {
        return answer;
      }
      Optional<Duration> retryIn = retryDelay(answer, attempt);
      if (retryIn.isEmpty()) {
        throw failure(call, answer, false, attempt);
      }
      if (attempt >= policy.maxAttempts() || exceeds(waited, retryIn.get())) {
        throw failure(call, answer, true, attempt);
      }
      LOG.debug("Actions service {} -> {}, retrying in {} ms", call.operation(), answer.status(),
          retryIn.get().toMillis());
      waited = waited.plus(pause(retryIn.get()));
    }
  }

  private Answer exchange(Call call, String authorizationHeader) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
        .timeout(call.timeout())
        .header("User-Agent", userAgent)
        .header("Authorization", authorizationHeader);
    call.headers().forEach(request::header);
    if (call.jsonBody().isPresent()) {
      request.header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofString(call.jsonBody().get()));
    } else {
      if (!call.headers().containsKey("Accept")) {
        request.header("Content-Type", "application/json");
      }
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    long sent = System.nanoTime();
    try {
      HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      LOG.debug("Actions service {} {} -> {} in {} ms", call.method(), call.operation(), answer.statusCode(),
          (System.nanoTime() - sent) / 1_000_000);
      return new Answer(answer.statusCode(), text(answer.body()), answer.headers());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OneshotException("interrupted while calling the Actions service (" + call.operation() + ")",
          false, e);
    }
  }

  /** The body as text without a leading UTF-8 byte-order mark (the service sometimes sends one). */
  static String text(byte[] body) {
    if (body == null) {
      return "";
    }
    if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
      body = Arrays.copyOfRange(body, 3, body.length);
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private Optional<Duration> retryDelay(Answer answer, int attempt) {
    int status = answer.status();
    if (status == 429 || status == 503) {
      Optional<Duration> after = HttpRetries.retryAfter(answer.headers(), clock);
      if (after.isPresent()) {
        return after;
      }
    }
    if (status == 429 || (status >= 500 && status != 501)) {
      return Optional.of(HttpRetries.backoff(policy, attempt, random));
    }
    return Optional.empty();
  }

  /** The service's error as an exception of the right kind; the message quotes the service, never a token. */
  public static ScaleSetException failure(Call call, Answer answer, boolean retryable, int attempts) {
    Optional<String> typeName = Optional.empty();
    String message;
    String contentType = answer.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    if (contentType.contains("text/plain")) {
      message = answer.body().strip();
    } else {
      typeName = Json.text(answer.body(), "typeName");
      message = Json.text(answer.body(), "message").orElse("");
    }
    if (message.isEmpty()) {
      message = "(no message)";
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    Optional<String> activityId = answer.headers().firstValue("ActivityId");
    int status = answer.status();
    String text = "Actions service " + call.operation() + " failed with " + status
        + typeName.map(t -> " " + t).orElse("") + (attempts > 1 ? " after " + attempts + " attempt(s)" : "")
        + ": " + message;
    String type = typeName.orElse("");
    if (type.contains("RunnerScaleSetSessionConflictException") || (status == 409 && call.operation().equals(
        "create-session"))) {
      return new SessionConflictException(text, status, typeName, activityId);
    }
    ScaleSetException.Kind kind;
    if (type.contains("AgentExistsException")) {
      kind = ScaleSetException.Kind.RUNNER_EXISTS;
    } else if (type.contains("AgentNotFoundException")) {
      kind = ScaleSetException.Kind.RUNNER_NOT_FOUND;
    } else if (type.contains("JobStillRunningException")) {
      kind = ScaleSetException.Kind.JOB_STILL_RUNNING;
    } else if (type.contains("RunnerScaleSetNotFoundException")) {
      kind = ScaleSetException.Kind.SCALE_SET_NOT_FOUND;
    } else if (status == 404 && call.operation().equals("refresh-session")) {
      kind = ScaleSetException.Kind.SESSION_NOT_FOUND;
    } else if (status == 401) {
      kind = ScaleSetException.Kind.UNAUTHORIZED;
    } else {
      kind = ScaleSetException.Kind.OTHER;
    }
    return new ScaleSetException(text, status, kind, typeName, activityId, retryable, null);
  }

  private boolean exceeds(Duration waited, Duration next) {
    return waited.plus(next).compareTo(policy.maxTotalWait()) > 0;
  }

  private Duration pause(Duration duration) {
    try {
      sleeper.sleep(duration);
      return duration;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OneshotException("interrupted while waiting to retry an Actions-service call", false, e);
    }
  }

  /** Headers as a small ordered map. */
  public static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      out.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return out;
  }
}
