package io.oneshot.scaleset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.RetryPolicy;
import io.oneshot.github.internal.Json;
import io.oneshot.scaleset.internal.ActionsServiceHttp;
import io.oneshot.scaleset.internal.AdminConnection;
import io.oneshot.scaleset.internal.Wire;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.Sleeper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A client of GitHub's runner scale-set protocol (the Actions service ARC's listener and GitHub's
 * {@code actions/scaleset} client talk to), for one GitHub scope. It reaches the service through the
 * {@link GitHubClient}'s runner-registration exchange, caches the service URL and admin JWT, and redoes
 * the exchange a minute before the JWT expires or once after a 401. Every call carries
 * {@code api-version=6.0-preview}, {@code Authorization: Bearer}, {@code Content-Type: application/json}
 * and a JSON {@code User-Agent}; connection errors, 429 and 5xx (but 501) are retried with backoff,
 * honouring {@code Retry-After}; other failures raise {@link ScaleSetException} (a second session on a
 * scale set raises {@link SessionConflictException}).
 *
 * <p>Every method blocks for its HTTP calls. Reads, {@link #getOrCreateScaleSet} and {@link #removeRunner}
 * are idempotent; {@link #createSession} and {@link #generateJitConfig} are not (a second call conflicts).
 * Thread-safe.
 * Nothing here logs or prints a token or a JIT config.
 */
public final class ScaleSetClient {
  /** The api-version every Actions-service call carries. */
  public static final String API_VERSION = "6.0-preview";
  static final String SCALE_SETS = "_apis/runtime/runnerscalesets";
  static final String AGENTS = "_apis/distributedtask/pools/0/agents";

  private final Clock clock;
  private final ActionsServiceHttp http;
  private final AdminConnection admin;
  private final Duration requestTimeout;
  private final Duration pollTimeout;
  private final Consumer<String> onSecret;

  private ScaleSetClient(Builder builder) {
    GitHubClient github = Objects.requireNonNull(builder.github, "github");
    this.onSecret = builder.onSecret;
    HttpClient client = builder.httpClient != null ? builder.httpClient
        : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.http = new ActionsServiceHttp(client, builder.clock, builder.sleeper, builder.retryPolicy, builder.random,
        userAgent(builder.version));
    this.admin = new AdminConnection(github, builder.clock, builder.refreshMargin, onSecret);
    this.requestTimeout = builder.requestTimeout;
    this.pollTimeout = builder.pollTimeout;
    this.clock = builder.clock;
  }

  /** A builder; {@link Builder#github} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The id of the runner group with that name, as the Actions service knows it. Idempotent.
   *
   * @throws InvalidSettingsException naming {@code runner-group} when no group (or more than one) has it
   */
  public long runnerGroupId(String name) {
    JsonNode json = sendAdmin("GET", "_apis/runtime/runnergroups/?groupName=" + encode(name), Optional.empty(),
        "get-runner-group");
    int count = json.path("count").asInt();
    if (count != 1) {
      throw InvalidSettingsException.of("runner-group", "runner-group '" + name + "' " + (count == 0
          ? "does not exist" : "matches " + count + " groups") + " in this scope; give the name of one runner group"
          + " (Default unless you made one)");
    }
    return json.path("value").get(0).path("id").asLong();
  }

  /** The scale set with that name in that runner group, if any. Idempotent. */
  public Optional<ScaleSet> getScaleSet(long runnerGroupId, String name) {
    JsonNode json = sendAdmin("GET", SCALE_SETS + "?runnerGroupId=" + runnerGroupId + "&name=" + encode(name),
        Optional.empty(), "get-scale-set");
    int count = json.path("count").asInt();
    if (count > 1) {
      throw new ScaleSetException("Actions service get-scale-set found " + count + " scale sets named " + name
          + " in runner group " + runnerGroupId, 200, ScaleSetException.Kind.OTHER, Optional.empty(),
          Optional.empty(), false, null);
    }
    return count == 0 ? Optional.empty() : Optional.of(Wire.scaleSet(json.path("value").get(0)));
  }

  /** A scale set by id. Idempotent; kind {@link ScaleSetException.Kind#SCALE_SET_NOT_FOUND} when gone. */
  public ScaleSet getScaleSet(long scaleSetId) {
    return Wire.scaleSet(sendAdmin("GET", SCALE_SETS + "/" + scaleSetId, Optional.empty(), "get-scale-set"));
  }

  /**
   * The scale set named in {@code settings}: found by group and name, created when missing (ephemeral
   * runners, self-update disabled), and updated when its labels differ. Idempotent.
   */
  public ScaleSet getOrCreateScaleSet(ScaleSetSettings settings) {
    Optional<ScaleSet> found = getScaleSet(settings.runnerGroupId(), settings.name());
    if (found.isEmpty()) {
      return Wire.scaleSet(sendAdmin("POST", SCALE_SETS, Optional.of(Json.write(body(settings))),
          "create-scale-set"));
    }
    if (settings.matches(found.get())) {
      return found.get();
    }
    return updateScaleSet(found.get().id(), settings);
  }

  /** Sets a scale set's name, runner group and labels. Idempotent. */
  public ScaleSet updateScaleSet(long scaleSetId, ScaleSetSettings settings) {
    return Wire.scaleSet(sendAdmin("PATCH", SCALE_SETS + "/" + scaleSetId, Optional.of(Json.write(body(settings))),
        "update-scale-set"));
  }

  /** Deletes a scale set; one already gone counts as deleted. Idempotent. */
  public void deleteScaleSet(long scaleSetId) {
    sendAdmin("DELETE", SCALE_SETS + "/" + scaleSetId, Optional.empty(), "delete-scale-set", 404);
  }

  /**
   * Opens the message session of a scale set. Not idempotent: while the session lives, another call
   * (from anyone) fails with {@link SessionConflictException}.
   *
   * @param ownerName who holds it, for people reading the service's view (host name, replica id)
   */
  public ScaleSetSession createSession(long scaleSetId, String ownerName) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("ownerName", ownerName);
    JsonNode json = sendAdmin("POST", SCALE_SETS + "/" + scaleSetId + "/sessions", Optional.of(Json.write(body)),
        "create-session");
    return new ScaleSetSession(this, scaleSetId, sessionState(json));
  }

  /**
   * Registers a runner in the scale set and returns its single-use JIT config. Not idempotent: the name
   * is then taken ({@link ScaleSetException.Kind#RUNNER_EXISTS} on a second call).
   *
   * @param workFolder the runner's work folder, {@code ""} for the runner's default
   */
  public ScaleSetJitConfig generateJitConfig(long scaleSetId, String runnerName, String workFolder) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("name", runnerName).put("workFolder", workFolder);
    JsonNode json = sendAdmin("POST", SCALE_SETS + "/" + scaleSetId + "/generatejitconfig",
        Optional.of(Json.write(body)), "generate-jit-config");
    String config = json.path("encodedJITConfig").asText("");
    if (config.isEmpty()) {
      throw new ScaleSetException("Actions service generate-jit-config answered without encodedJITConfig", 200,
          ScaleSetException.Kind.OTHER, Optional.empty(), Optional.empty(), false, null);
    }
    onSecret.accept(config);
    JsonNode runner = json.path("runner");
    return new ScaleSetJitConfig(runner.path("id").asLong(), runner.path("name").asText(runnerName),
        runner.path("runnerScaleSetId").asLong(scaleSetId), config);
  }

  /**
   * A runner by id ({@code GET _apis/distributedtask/pools/0/agents/{id}}); empty when the service says
   * {@code AgentNotFoundException} or 404 (never registered, removed, or gone after its job). Blocks;
   * idempotent.
   */
  public Optional<ScaleSetRunner> getRunner(long runnerId) {
    try {
      ActionsServiceHttp.Answer answer = sendAdminAnswer("GET", AGENTS + "/" + runnerId, Optional.empty(),
          "get-runner", 404);
      if (answer.status() == 404) {
        return Optional.empty();
      }
      return Optional.of(Wire.runner(parsed(answer, "get-runner")));
    } catch (ScaleSetException e) {
      if (e.kind() == ScaleSetException.Kind.RUNNER_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The runner with that name in the client's scope
   * ({@code GET _apis/distributedtask/pools/0/agents?agentName=...}); empty when none has it. This is how
   * to find a runner whose {@link #generateJitConfig} answer was lost. Blocks; idempotent.
   */
  public Optional<ScaleSetRunner> getRunnerByName(String name) {
    Objects.requireNonNull(name, "name");
    JsonNode json = parsed(sendAdminAnswer("GET", AGENTS + "?agentName=" + encode(name), Optional.empty(),
        "get-runner-by-name"), "get-runner-by-name");
    if (json.path("count").asInt() == 0) {
      return Optional.empty();
    }
    for (JsonNode runner : json.path("value")) {
      if (runner.path("name").asText("").equalsIgnoreCase(name)) {
        return Optional.of(Wire.runner(runner));
      }
    }
    return Optional.empty();
  }

  /**
   * The runners registered in a scale set, online or not ({@code GET _apis/distributedtask/pools/0/agents},
   * keeping those whose {@code runnerScaleSetId} is {@code scaleSetId}), in the service's order. Blocks;
   * idempotent.
   */
  public List<ScaleSetRunner> listRunners(long scaleSetId) {
    JsonNode json = parsed(sendAdminAnswer("GET", AGENTS, Optional.empty(), "list-runners"), "list-runners");
    List<ScaleSetRunner> out = new ArrayList<>();
    for (JsonNode node : json.path("value")) {
      ScaleSetRunner runner = Wire.runner(node);
      if (runner.scaleSetId() == scaleSetId) {
        out.add(runner);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Deletes a runner's registration ({@code DELETE _apis/distributedtask/pools/0/agents/{id}}): an unused
   * JIT registration, or an idle runner (its process then exits). A busy runner is left alone and
   * {@link RunnerRemoval#JOB_STILL_RUNNING} returned; one already gone gives {@link RunnerRemoval#NOT_FOUND}
   * (also after a retry whose first attempt removed it but lost its answer). Other failures raise
   * {@link ScaleSetException}. Blocks; idempotent in effect.
   */
  public RunnerRemoval removeRunner(long runnerId) {
    try {
      ActionsServiceHttp.Answer answer = sendAdminAnswer("DELETE", AGENTS + "/" + runnerId, Optional.empty(),
          "delete-runner", 404);
      return answer.status() == 404 ? RunnerRemoval.NOT_FOUND : RunnerRemoval.REMOVED;
    } catch (ScaleSetException e) {
      if (e.kind() == ScaleSetException.Kind.RUNNER_NOT_FOUND) {
        return RunnerRemoval.NOT_FOUND;
      }
      if (e.kind() == ScaleSetException.Kind.JOB_STILL_RUNNING) {
        return RunnerRemoval.JOB_STILL_RUNNING;
      }
      throw e;
    }
  }

  /** How many runner-registration exchanges this client made (for tests and metrics). */
  public int exchanges() {
    return admin.exchanges();
  }

  // ---- shared with ScaleSetSession ---------------------------------------------------------------

  ActionsServiceHttp http() {
    return http;
  }

  AdminConnection admin() {
    return admin;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  Duration pollTimeout() {
    return pollTimeout;
  }

  Clock clock() {
    return clock;
  }

  ScaleSetSession.State sessionState(JsonNode json) {
    String token = json.path("messageQueueAccessToken").asText("");
    String url = json.path("messageQueueUrl").asText("");
    if (token.isEmpty() || url.isEmpty()) {
      throw new ScaleSetException("Actions service session answer has no message queue url or token", 200,
          ScaleSetException.Kind.OTHER, Optional.empty(), Optional.empty(), false, null);
    }
    onSecret.accept(token);
    return new ScaleSetSession.State(json.path("sessionId").asText(), json.path("ownerName").asText(),
        URI.create(url), token, Wire.statistics(json.get("statistics")));
  }

  /**
   * An admin call: with the current admin JWT; a 401 drops the JWT, redoes the exchange and repeats the
   * call once. Returns the parsed body ({@code null} for an empty one).
   */
  JsonNode sendAdmin(String method, String path, Optional<String> body, String operation, Integer... passThrough) {
    ActionsServiceHttp.Answer answer = sendAdminAnswer(method, path, body, operation, passThrough);
    if (!answer.isSuccess() || answer.body().isBlank()) {
      return null;
    }
    return Wire.parse(answer.body(), answer.status(), operation);
  }

  /** {@link #sendAdmin} returning the answer itself: a 2xx one or one whose status is in {@code passThrough}. */
  ActionsServiceHttp.Answer sendAdminAnswer(String method, String path, Optional<String> body, String operation,
      Integer... passThrough) {
    Set<Integer> statuses = new java.util.HashSet<>(Set.of(passThrough));
    statuses.add(401);
    for (int attempt = 1; ; attempt++) {
      AdminConnection.Current current = admin.current();
      ActionsServiceHttp.Call call = new ActionsServiceHttp.Call(method, adminUri(current.grant().url(), path), body,
          operation, ActionsServiceHttp.headers(), requestTimeout, statuses);
      ActionsServiceHttp.Answer answer = http.send(call, () -> "Bearer " + current.grant().token());
      if (answer.status() == 401) {
        admin.invalidate(current.grant().token());
        if (attempt == 1) {
          continue;
        }
        throw ActionsServiceHttp.failure(call, answer, false, attempt);
      }
      return answer;
    }
  }

  /** A 2xx answer's JSON body; an empty one is an error naming the operation. */
  private static JsonNode parsed(ActionsServiceHttp.Answer answer, String operation) {
    if (answer.body().isBlank()) {
      throw new ScaleSetException("Actions service " + operation + " answered " + answer.status()
          + " with an empty body", answer.status(), ScaleSetException.Kind.OTHER, Optional.empty(),
          Optional.empty(), false, null);
    }
    return Wire.parse(answer.body(), answer.status(), operation);
  }

  /** {@code base} joined with {@code path}, with {@code api-version} added unless the path has one. */
  URI adminUri(URI base, String path) {
    String root = base.toString().endsWith("/") ? base.toString() : base + "/";
    URI joined = URI.create(root + (path.startsWith("/") ? path.substring(1) : path));
    return joined.getRawQuery() != null && joined.getRawQuery().contains("api-version=") ? joined
        : withQuery(joined, "api-version=" + API_VERSION);
  }

  static URI withQuery(URI uri, String pair) {
    if (pair == null) {
      return uri;
    }
    String text = uri.toString();
    return URI.create(text + (uri.getRawQuery() == null ? "?" : "&") + pair);
  }

  private static ObjectNode body(ScaleSetSettings settings) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", settings.name());
    body.put("runnerGroupId", settings.runnerGroupId());
    ArrayNode labels = body.putArray("labels");
    settings.allLabels().forEach(label -> labels.addObject().put("type", "System").put("name", label));
    // "RunnerSetting" is capitalised on the wire in every known client (research §2.3).
    body.putObject("RunnerSetting").put("ephemeral", true).put("disableUpdate", true);
    return body;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String userAgent(String version) {
    ObjectNode agent = Json.MAPPER.createObjectNode().put("system", "oneshot").put("version", version)
        .put("subsystem", "serve").put("kind", "scaleset");
    return Json.write(agent);
  }

  /** Builds a {@link ScaleSetClient}. Not thread-safe; build once and share the client. */
  public static final class Builder {
    private GitHubClient github;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Random random = new SecureRandom();
    private HttpClient httpClient;
    private String version = "dev";
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration pollTimeout = Duration.ofMinutes(5);
    private Duration refreshMargin = Duration.ofSeconds(60);
    private Consumer<String> onSecret = secret -> { };

    private Builder() {}

    /** The GitHub client of the scope: its credentials mint the registration tokens the exchange needs. */
    public Builder github(GitHubClient github) {
      this.github = github;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How the client waits between retries; tests pass one that advances their clock. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper);
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy);
      return this;
    }

    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random);
      return this;
    }

    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** oneshot's version, sent in the User-Agent. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version);
      return this;
    }

    /** Timeout of one ordinary call (default 60 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout);
      return this;
    }

    /** Timeout of one long poll; must exceed the service's hold of about 50 s (default 5 min). */
    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = Objects.requireNonNull(pollTimeout);
      return this;
    }

    /** How long before the admin JWT's expiry the exchange is redone (default 60 s). */
    public Builder refreshMargin(Duration refreshMargin) {
      this.refreshMargin = Objects.requireNonNull(refreshMargin);
      return this;
    }

    /** Called with every secret received (admin JWT, queue tokens, JIT configs) so Actions mode can mask it. */
    public Builder onSecret(Consumer<String> onSecret) {
      this.onSecret = Objects.requireNonNull(onSecret);
      return this;
    }

    public ScaleSetClient build() {
      return new ScaleSetClient(this);
    }
  }
}
