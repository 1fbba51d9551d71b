package io.oneshot.fakes.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.oneshot.fakes.github.RecordedCall;
import io.oneshot.fakes.internal.LoopbackServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fake's HTTP pipeline for one request: route by the contract, planned connection drop, latency,
 * authentication, primary rate limit, injected faults, request validation, the operation itself, then
 * common headers, response validation and recording. Thread-safe; one instance serves all requests.
 */
public final class GitHubHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubHandler.class);
  private static final String RATE_LIMIT_OP = "rate-limit/get";
  private static final String SECONDARY_MESSAGE = "You have exceeded a secondary rate limit. Please wait"
      + " a few minutes before you try again. If you reach out to GitHub Support for help, please"
      + " include the request ID ";
  /**
   * The message GitHub answered secondary limits with before it called them that, still seen on GHES
   * and quoted in client libraries (octokit's plugin-throttling matches /\babuse\b/i).
   */
  private static final String ABUSE_MESSAGE = "You have triggered an abuse detection mechanism. Please wait a"
      + " few minutes before you try again.";

  private final String prefix;
  private final ApiSpec spec;
  private final ContractValidator validator;
  private final GitHubState state;
  private final AppJwtVerifier jwts;
  private final RateLimiter limiter;
  private final FaultPlan faults;
  private final Endpoints endpoints;
  private final Secrets secrets;

  private final List<RecordedCall> calls = new ArrayList<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> rejections = new ArrayList<>();
  private int total;
  private volatile io.oneshot.fakes.github.RunnerRegistrationExchange registration;

  public GitHubHandler(String prefix, ApiSpec spec, ContractValidator validator, GitHubState state,
      AppJwtVerifier jwts, RateLimiter limiter, FaultPlan faults, Endpoints endpoints, Secrets secrets) {
    this.prefix = prefix;
    this.spec = spec;
    this.validator = validator;
    this.state = state;
    this.jwts = jwts;
    this.limiter = limiter;
    this.faults = faults;
    this.endpoints = endpoints;
    this.secrets = secrets;
  }

  private record Outcome(ApiResponse response, RateLimiter.Snapshot rate) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    String path = unprefixed(rawPath);
    if ("/actions/runner-registration".equals(path)) {
      count(REGISTRATION_OP);
      LoopbackServer.pause(faults.latency());
      byte[] body = exchange.getRequestBody().readAllBytes();
      ApiResponse response;
      try {
        response = runnerRegistration(exchange, method, new String(body, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        LOG.error("fake GitHub failed on {} {}", method, rawPath, e);
        synchronized (this) {
          violations.add(method + " " + rawPath + ": the fake itself failed: " + e);
        }
        response = ApiResponse.error(500, "Server Error");
      }
      sendPlain(exchange, method, rawPath, response);
      return;
    }
    Optional<ApiSpec.Match> match = path == null ? Optional.empty() : spec.match(method, path);
    String operationId = match.map(m -> m.operation().operationId()).orElse(null);
    count(operationId);
    if (operationId != null && faults.takeReset(operationId)) {
      record(new RecordedCall(method, rawPath, operationId, 0));
      exchange.close(); // no response headers sent: the server drops the connection
      return;
    }
    LoopbackServer.pause(faults.latency());
    byte[] body = exchange.getRequestBody().readAllBytes();
    Outcome outcome;
    try {
      outcome = process(exchange, method, rawPath, path, match, body);
    } catch (RuntimeException e) {
      LOG.error("fake GitHub failed on {} {}", method, rawPath, e);
      synchronized (this) {
        // A bug in the fake must fail the test, not pass as a 500 the client retries.
        violations.add(method + " " + rawPath + ": the fake itself failed: " + e);
      }
      outcome = new Outcome(ApiResponse.error(500, "Server Error"), anonymousRate(exchange));
    }
    send(exchange, method, rawPath, path, match, outcome);
  }

  private Outcome process(HttpExchange exchange, String method, String rawPath, String path,
      Optional<ApiSpec.Match> match, byte[] rawBody) {
    if (match.isEmpty()) {
      return new Outcome(ApiResponse.from(ApiError.notFound()), anonymousRate(exchange));
    }
    String operationId = match.get().operation().operationId();
    Principal principal;
    try {
      principal = authenticate(exchange, operationId);
    } catch (ApiError e) {
      return new Outcome(ApiResponse.from(e), anonymousRate(exchange));
    }
    String key = principal.rateKey();
    int limit = principal.rateLimit();
    boolean counted = !RATE_LIMIT_OP.equals(operationId);
    if (counted && limiter.exhausted(key, limit)) {
      return new Outcome(ApiResponse.error(403, "API rate limit exceeded for "
          + principal.rateDescription() + ". If you reach out to GitHub Support for help, please"
          + " include the request ID " + secrets.requestId() + "."), limiter.peek(key, limit));
    }
    RateLimiter.Snapshot rate = counted ? limiter.consume(key, limit) : limiter.peek(key, limit);
    Optional<FaultPlan.Fault> fault = faults.next(operationId);
    if (fault.isPresent()) {
      return new Outcome(faultResponse(fault.get()), rate);
    }
    String bodyText = new String(rawBody, StandardCharsets.UTF_8);
    Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
    ContractValidator.RequestVerdict verdict = validator.checkRequest(method, path, query, bodyText);
    if (!verdict.valid()) {
      synchronized (this) {
        rejections.add(method + " " + rawPath + " -> " + verdict.status() + ": " + verdict.messages());
      }
      return new Outcome(rejection(operationId, verdict), rate);
    }
    JsonNode body = MissingNode.getInstance();
    if (!bodyText.isBlank()) {
      try {
        body = Json.parse(bodyText);
      } catch (IOException e) {
        return new Outcome(ApiResponse.error(400, "Problems parsing JSON"), rate);
      }
    }
    Endpoints.Call call = new Endpoints.Call(operationId, rawPath, match.get().pathParams(), query, body,
        principal);
    try {
      return new Outcome(endpoints.handle(call), rate);
    } catch (ApiError e) {
      return new Outcome(ApiResponse.from(e), rate);
    }
  }

  private Principal authenticate(HttpExchange exchange, String operationId) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String credential = null;
    if (header != null) {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? "" : header.substring(0, space).toLowerCase(Locale.ROOT);
      if (scheme.equals("token") || scheme.equals("bearer")) {
        credential = header.substring(space + 1).trim();
      } else {
        throw new ApiError(401, "Bad credentials");
      }
    }
    if (operationId.startsWith("apps/")) {
      if (credential == null) {
        throw new ApiError(401, "A JSON web token could not be decoded");
      }
      return jwts.verify(credential);
    }
    if (credential == null) {
      if (RATE_LIMIT_OP.equals(operationId)) {
        return anonymous(exchange);
      }
      throw new ApiError(401, "Requires authentication");
    }
    return state.authenticateToken(credential);
  }

  private ApiResponse faultResponse(FaultPlan.Fault fault) {
    // GitHub: a secondary limit is "403 or 429 with an error message that indicates that you exceeded a
    // secondary rate limit", with retry-after when GitHub gives one (docs, rate-limits-for-the-rest-api,
    // "Exceeding the rate limit"). HTTP lets retry-after be an HTTP-date as well as seconds (RFC 9110
    // section 10.2.3); GitHub sends seconds, a proxy in front of GHES may send a date.
    if (fault instanceof FaultPlan.SecondaryRateLimit secondary) {
      return ApiResponse.error(403, SECONDARY_MESSAGE + secrets.requestId() + ".")
          .withHeader("retry-after", Integer.toString(secondary.retryAfterSeconds()));
    }
    if (fault instanceof FaultPlan.SecondaryRateLimitUntil until) {
      return ApiResponse.error(403, SECONDARY_MESSAGE + secrets.requestId() + ".")
          .withHeader("retry-after", DateTimeFormatter.RFC_1123_DATE_TIME.format(
              until.retryAt().atOffset(ZoneOffset.UTC)));
    }
    if (fault instanceof FaultPlan.AbuseDetection) {
      return ApiResponse.error(403, ABUSE_MESSAGE);
    }
    int status = ((FaultPlan.Fail) fault).status();
    if (status == 422) {
      return ApiResponse.from(ApiError.unprocessable("Validation Failed", List.of()));
    }
    return ApiResponse.error(status, reason(status));
  }

  private static ApiResponse rejection(String operationId, ContractValidator.RequestVerdict verdict) {
    switch (verdict.status()) {
      case 404:
        return ApiResponse.from(ApiError.notFound());
      case 400:
        return ApiResponse.error(400, "Problems parsing JSON");
      default:
        String message = "Invalid request.\n\n" + String.join("\n", verdict.messages());
        ApiError.Shape shape = operationId.equals("apps/create-installation-access-token")
            ? ApiError.Shape.VALIDATION
            : ApiError.Shape.VALIDATION_SIMPLE;
        return ApiResponse.from(new ApiError(422, message, shape, verdict.messages()));
    }
  }

  private void send(HttpExchange exchange, String method, String rawPath, String path,
      Optional<ApiSpec.Match> match, Outcome outcome) throws IOException {
    ApiResponse response = outcome.response();
    RateLimiter.Snapshot rate = outcome.rate();
    Map<String, String> headers = new LinkedHashMap<>();
    if (response.body() != null) {
      headers.put("content-type", "application/json; charset=utf-8");
    }
    headers.put("x-github-request-id", secrets.requestId());
    headers.put("x-github-api-version-selected", "2022-11-28");
    headers.put("x-github-media-type", "github.v3; format=json");
    headers.put("x-ratelimit-limit", Integer.toString(rate.limit()));
    headers.put("x-ratelimit-remaining", Integer.toString(rate.remaining()));
    headers.put("x-ratelimit-used", Integer.toString(rate.used()));
    headers.put("x-ratelimit-reset", Long.toString(rate.resetEpochSecond()));
    headers.put("x-ratelimit-resource", "core");
    headers.putAll(response.headers());

    byte[] bytes = response.body() == null ? null : Json.bytes(response.body());
    String bodyText = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    List<String> problems = validator.checkResponse(match.map(ApiSpec.Match::operation), method,
        path == null ? rawPath : path, response.status(), headers, bodyText);
    String operationId = match.map(m -> m.operation().operationId()).orElse(null);
    synchronized (this) {
      violations.addAll(problems);
    }
    record(new RecordedCall(method, rawPath, operationId, response.status()));
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    try (exchange) {
      if (bytes == null) {
        exchange.sendResponseHeaders(response.status(), -1);
      } else {
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  // ---- the runner-registration exchange (outside the REST contract) -------------------------------

  private static final String REGISTRATION_OP = "actions/runner-registration";

  /** Sets what answers the runner-registration exchange. */
  public void runnerRegistration(io.oneshot.fakes.github.RunnerRegistrationExchange exchange) {
    this.registration = exchange;
  }

  /**
   * Checks the exchange as GitHub's scale-set client sends it (research scaleset.md section 1.4):
   * POST, {@code Authorization: RemoteAuth <registration token>}, JSON body with {@code url} (the
   * scope's web URL) and {@code runner_event: "register"}. The status and wording of refusals are the
   * fake's own (see contracts/SOURCE.md).
   */
  private ApiResponse runnerRegistration(HttpExchange exchange, String method, String bodyText) {
    io.oneshot.fakes.github.RunnerRegistrationExchange target = registration;
    if (target == null || !method.equals("POST")) {
      return ApiResponse.from(ApiError.notFound());
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("RemoteAuth ")) {
      return ApiResponse.error(401, "Bad credentials");
    }
    Optional<String> scopeKey = state.validRegistrationTokenScope(header.substring("RemoteAuth ".length()).trim());
    if (scopeKey.isEmpty()) {
      return ApiResponse.error(401, "Bad credentials");
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    JsonNode body;
    try {
      body = Json.parse(bodyText);
    } catch (IOException e) {
      body = null;
    }
    if (contentType == null || !contentType.startsWith("application/json") || body == null || !body.isObject()) {
      reject("POST /actions/runner-registration: needs a JSON body with Content-Type application/json");
      return ApiResponse.error(400, "Problems parsing JSON");
    }
    if (!"register".equals(body.path("runner_event").asText()) || !body.path("url").isTextual()) {
      reject("POST /actions/runner-registration: body needs url and runner_event \"register\", got fields "
          + iterable(body.fieldNames()));
      return ApiResponse.from(ApiError.unprocessable("Validation Failed", List.of("url and runner_event are required")));
    }
    String expected = state.webUrl(scopeKey.get());
    if (!body.path("url").asText().replaceAll("/+$", "").equalsIgnoreCase(expected)) {
      reject("POST /actions/runner-registration: url " + body.path("url").asText() + " is not " + expected
          + ", the web URL of the token's scope");
      return ApiResponse.from(ApiError.notFound());
    }
    io.oneshot.fakes.github.RunnerRegistrationExchange.Answer answer = target.exchange(scopeKey.get());
    if (answer.status() < 200 || answer.status() >= 300) {
      return ApiResponse.error(answer.status(), reason(answer.status()));
    }
    com.fasterxml.jackson.databind.node.ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .objectNode().put("url", answer.url()).put("token", answer.token());
    return new ApiResponse(answer.status(), out, Map.of());
  }

  private synchronized void reject(String reason) {
    rejections.add(reason);
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  private void sendPlain(HttpExchange exchange, String method, String rawPath, ApiResponse response)
      throws IOException {
    record(new RecordedCall(method, rawPath, REGISTRATION_OP, response.status()));
    exchange.getResponseHeaders().set("x-github-request-id", secrets.requestId());
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    byte[] bytes = response.body() == null ? null : Json.bytes(response.body());
    if (bytes != null) {
      exchange.getResponseHeaders().set("content-type", "application/json; charset=utf-8");
    }
    try (exchange) {
      if (bytes == null) {
        exchange.sendResponseHeaders(response.status(), -1);
      } else {
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  // ---- recording --------------------------------------------------------------------------------

  private synchronized void count(String operationId) {
    total++;
    if (operationId != null) {
      counts.merge(operationId, 1, Integer::sum);
    }
  }

  private synchronized void record(RecordedCall call) {
    calls.add(call);
  }

  /** Requests received for one operation (faults included). */
  public synchronized int callCount(String operationId) {
    return counts.getOrDefault(operationId, 0);
  }

  /** Requests received in total. */
  public synchronized int callCount() {
    return total;
  }

  /** Answered (or dropped) requests in order. */
  public synchronized List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  /** Responses the fake sent that break the contract. */
  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Requests rejected because they break the contract. */
  public synchronized List<String> rejections() {
    return List.copyOf(rejections);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private String unprefixed(String rawPath) {
    if (prefix.isEmpty()) {
      return rawPath;
    }
    if (rawPath.equals(prefix)) {
      return "/";
    }
    return rawPath.startsWith(prefix + "/") ? rawPath.substring(prefix.length()) : null;
  }

  private static Principal anonymous(HttpExchange exchange) {
    return new Principal.Anonymous(exchange.getRemoteAddress().getAddress().getHostAddress());
  }

  private RateLimiter.Snapshot anonymousRate(HttpExchange exchange) {
    Principal anonymous = anonymous(exchange);
    return limiter.peek(anonymous.rateKey(), anonymous.rateLimit());
  }

  private static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Bad credentials";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 500 -> "Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error " + status;
    };
  }

}
