package io.oneshot.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oneshot.github.internal.ApiCall;
import io.oneshot.github.internal.ApiResponse;
import io.oneshot.github.internal.AppTokenSource;
import io.oneshot.github.internal.GitHubHttp;
import io.oneshot.github.internal.Json;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.Sleeper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GitHub REST calls oneshot needs, for one scope: JIT configs, registration and remove tokens,
 * listing, reading and deleting runners, and runner groups. Every method blocks for its HTTP calls
 * (and any rate-limit or retry waits); reads are idempotent, {@link #deleteRunner} is safe to repeat.
 * Thread-safe.
 */
public final class GitHubClient {
  /** GitHub.com's API root. */
  public static final URI DEFAULT_API_URL = URI.create("https://api.github.com");
  private static final int PAGE_SIZE = 100;
  private static final Pattern NEXT_PAGE = Pattern.compile("<[^>]*[?&]page=(\\d+)[^>]*>;\\s*rel=\"next\"");

  private final GitHubScope scope;
  private final URI apiUrl;
  private final URI serverUrl;
  private final GitHubHttp http;
  private final Supplier<String> authorization;
  private final Consumer<String> onSecret;
  private final Map<String, Long> groupIds;
  /** The App's token source; null for a token credential. */
  private final AppTokenSource tokens;
  private final Optional<Instant> deadline;
  private final Sleeper sleeper;
  private final Random random;
  private final RetryPolicy retryPolicy;

  private GitHubClient(Builder builder) {
    this.sleeper = builder.sleeper;
    this.random = builder.random;
    this.retryPolicy = builder.retryPolicy;
    this.scope = Objects.requireNonNull(builder.scope, "scope");
    this.apiUrl = builder.apiUrl;
    this.serverUrl = builder.serverUrl != null ? builder.serverUrl : serverUrlFor(builder.apiUrl);
    this.onSecret = builder.onSecret;
    HttpClient httpClient = builder.httpClient != null ? builder.httpClient
        : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.http = new GitHubHttp(httpClient, builder.apiUrl, scope, builder.clock, builder.sleeper,
        builder.retryPolicy, builder.random, builder.userAgent);
    this.groupIds = new ConcurrentHashMap<>();
    this.deadline = Optional.empty();
    GitHubCredentials credentials = Objects.requireNonNull(builder.credentials, "credentials");
    if (credentials instanceof GitHubCredentials.App app) {
      AppTokenSource source = new AppTokenSource(app, scope, builder.clock, onSecret);
      this.tokens = source;
      this.authorization = () -> source.authorization(http);
    } else {
      String header = "Bearer " + ((GitHubCredentials.Token) credentials).value();
      this.tokens = null;
      this.authorization = () -> header;
    }
  }

  private GitHubClient(GitHubClient base, Optional<Instant> deadline) {
    this.scope = base.scope;
    this.apiUrl = base.apiUrl;
    this.serverUrl = base.serverUrl;
    this.http = base.http;
    this.authorization = base.authorization;
    this.onSecret = base.onSecret;
    this.groupIds = base.groupIds;
    this.tokens = base.tokens;
    this.deadline = deadline;
    this.sleeper = base.sleeper;
    this.random = base.random;
    this.retryPolicy = base.retryPolicy;
  }

  /**
   * This client (same connection, credentials, token cache and rate-limit view) bound to a deadline:
   * a retry or rate-limit wait that would end after {@code deadline} is not slept; the call fails at
   * once with a retryable {@link GitHubApiException}, as does a call made after it. The client's own
   * wait budget ({@link RetryPolicy#maxTotalWait()}) still applies. Does not block.
   */
  public GitHubClient withDeadline(Instant deadline) {
    return new GitHubClient(this, Optional.of(Objects.requireNonNull(deadline, "deadline")));
  }

  /** The deadline this client's calls respect, if bound to one ({@link #withDeadline}). */
  public Optional<Instant> deadline() {
    return deadline;
  }

  /** A builder; scope and credentials are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The scope this client manages runners in. */
  public GitHubScope scope() {
    return scope;
  }

  /** The API root, for example {@code https://api.github.com} or {@code https://HOST/api/v3}. */
  public URI apiUrl() {
    return apiUrl;
  }

  /** The URL {@code config.sh --url} takes for this scope. */
  public URI registrationUrl() {
    return scope.registrationUrl(serverUrl);
  }

  /** The primary rate-limit budget the last answer reported, empty before the first call. */
  public Optional<RateLimitBudget> lastRateLimit() {
    return http.lastRateLimit();
  }

  /** Registers a JIT runner ({@code generate-jitconfig}) and returns it with its single-use config. */
  public JitRunner generateJitConfig(JitConfigRequest request) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", request.name());
    body.put("runner_group_id", request.runnerGroupId());
    request.labels().forEach(body.putArray("labels")::add);
    body.put("work_folder", request.workFolder());
    ApiResponse response = send(ApiCall.post(runnersPath() + "/generate-jitconfig",
        Optional.of(Json.write(body)), "generate-jitconfig"));
    JsonNode json = Json.parse(response, "generate-jitconfig");
    String config = Json.required(json, "encoded_jit_config", response, "generate-jitconfig").asText();
    onSecret.accept(config);
    return new JitRunner(runner(Json.required(json, "runner", response, "generate-jitconfig")), config);
  }

  /** A registration token for {@code config.sh} (valid one hour). */
  public AuthenticationToken createRegistrationToken() {
    return token("registration-token");
  }

  /** A remove token for {@code config.sh remove} (valid one hour). */
  public AuthenticationToken createRemoveToken() {
    return token("remove-token");
  }

  /**
   * The runner-registration exchange that runner scale sets start from: mints a registration token for
   * this scope, then {@code POST actions/runner-registration} with {@code Authorization: RemoteAuth
   * <token>} and {@code {"url": <registrationUrl()>, "runner_event": "register"}}; GitHub answers with
   * the Actions-service URL and an admin JWT. A 401 or 403 there is retried with backoff (up to the
   * policy's attempts): a just-minted registration token is not at once valid everywhere (GitHub's own
   * scale-set client and ARC both retry them). Blocks; not idempotent (each call mints a new token),
   * but safe to repeat. Both secrets go to {@code onSecret}.
   *
   * @throws GitHubApiException when GitHub refuses for good, or answers without url or token
   */
  public ActionsServiceGrant actionsServiceGrant() {
    String operation = "runner-registration";
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("url", registrationUrl().toString());
    body.put("runner_event", "register");
    ApiCall call = ApiCall.post("actions/runner-registration", Optional.of(Json.write(body)), operation, 401, 403);
    for (int attempt = 1; ; attempt++) {
      AuthenticationToken registration = createRegistrationToken();
      String header = "RemoteAuth " + registration.token();
      ApiResponse response = http.send(call, () -> header, deadline);
      if (response.isSuccess()) {
        JsonNode json = Json.parse(response, operation);
        String url = json.path("url").asText("");
        String token = json.path("token").asText("");
        if (url.isEmpty() || token.isEmpty()) {
          throw new GitHubApiException("GitHub " + operation + " answered without the Actions-service url or"
              + " token", response.status(), response.requestId(), false, false, null);
        }
        onSecret.accept(token);
        return new ActionsServiceGrant(URI.create(url), token);
      }
      if (attempt >= retryPolicy.maxAttempts()) {
        throw new GitHubApiException("GitHub " + operation + " for " + scope.describe() + " failed with "
            + response.status() + " after " + attempt + " attempt(s): " + Json.text(response.body(), "message")
            .orElse("(no message)") + "; the credential needs the runner-administration permission of the"
            + " scope", response.status(), response.requestId(), false, false, null);
      }
      try {
        sleeper.sleep(io.oneshot.github.internal.HttpRetries.backoff(retryPolicy, attempt, random));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.oneshot.spi.OneshotException("interrupted while retrying GitHub " + operation, false, e);
      }
    }
  }

  /** Every runner of the scope, all pages. */
  public List<Runner> listRunners() {
    return listRunners(Optional.empty());
  }

  /** The runners with exactly that name (GitHub filters server-side). */
  public List<Runner> listRunnersNamed(String name) {
    return listRunners(Optional.of(name));
  }

  /** One runner, empty when GitHub does not know it. */
  public Optional<Runner> getRunner(long runnerId) {
    ApiResponse response = send(ApiCall.get(runnersPath() + "/" + runnerId, "get-runner", 404));
    if (response.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(runner(Json.parse(response, "get-runner")));
  }

  /**
   * Removes a runner's registration: {@link DeleteOutcome#BUSY} when it is running a job (422) and
   * {@link DeleteOutcome#ALREADY_GONE} when GitHub does not know it (404). Safe to repeat.
   */
  public DeleteOutcome deleteRunner(long runnerId) {
    ApiResponse response = send(ApiCall.delete(runnersPath() + "/" + runnerId, "delete-runner", 404, 422));
    return switch (response.status()) {
      case 404 -> DeleteOutcome.ALREADY_GONE;
      case 422 -> DeleteOutcome.BUSY;
      default -> DeleteOutcome.DELETED;
    };
  }

  /**
   * The scope's runner groups, all pages. A repository has no groups of its own: its runners join the
   * default group, id 1.
   */
  public List<RunnerGroup> listRunnerGroups() {
    if (scope instanceof GitHubScope.Repository) {
      return List.of(new RunnerGroup(1, "Default", true));
    }
    List<RunnerGroup> groups = new ArrayList<>();
    forEachPage(scope.apiPath() + "/actions/runner-groups", "list-runner-groups", page -> {
      for (JsonNode group : page.path("runner_groups")) {
        groups.add(new RunnerGroup(group.path("id").asLong(), group.path("name").asText(),
            group.path("default").asBoolean()));
      }
    });
    return groups;
  }

  /**
   * The id of the runner group with that name (case-insensitive), looked up once per client.
   *
   * @throws InvalidSettingsException naming {@code runner-group} and listing the groups found
   */
  public long runnerGroupId(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    Long cached = groupIds.get(key);
    if (cached != null) {
      return cached;
    }
    List<RunnerGroup> groups = listRunnerGroups();
    long id = groups.stream().filter(group -> group.name().equalsIgnoreCase(name)).mapToLong(RunnerGroup::id)
        .findFirst()
        .orElseThrow(() -> new InvalidSettingsException("runner-group '" + name + "' does not exist in "
            + scope.describe() + "; groups found: "
            + String.join(", ", groups.stream().map(RunnerGroup::name).toList())
            + (scope instanceof GitHubScope.Repository ? " (repository runners always join Default)" : "")));
    groupIds.put(key, id);
    return id;
  }

  private List<Runner> listRunners(Optional<String> name) {
    String path = runnersPath() + name.map(n -> "?name=" + URLEncoder.encode(n, StandardCharsets.UTF_8)).orElse("");
    List<Runner> runners = new ArrayList<>();
    forEachPage(path, "list-runners", page -> page.path("runners").forEach(node -> runners.add(runner(node))));
    return runners;
  }

  private void forEachPage(String path, String operation, Consumer<JsonNode> pageConsumer) {
    String separator = path.contains("?") ? "&" : "?";
    int page = 1;
    while (true) {
      ApiResponse response = send(ApiCall.get(path + separator + "per_page=" + PAGE_SIZE + "&page=" + page,
          operation));
      pageConsumer.accept(Json.parse(response, operation));
      Optional<Integer> next = nextPage(response);
      if (next.isEmpty() || next.get() <= page) {
        return;
      }
      page = next.get();
    }
  }

  private static Optional<Integer> nextPage(ApiResponse response) {
    return response.headers().firstValue("link").flatMap(link -> {
      Matcher matcher = NEXT_PAGE.matcher(link);
      return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    });
  }

  private AuthenticationToken token(String kind) {
    ApiResponse response = send(ApiCall.post(runnersPath() + "/" + kind, Optional.empty(), kind));
    JsonNode json = Json.parse(response, kind);
    String token = Json.required(json, "token", response, kind).asText();
    onSecret.accept(token);
    return new AuthenticationToken(token,
        OffsetDateTime.parse(Json.required(json, "expires_at", response, kind).asText()).toInstant());
  }

  /**
   * Sends through {@link GitHubHttp}; with an App, a 401 (the installation token was revoked or expired
   * early: "Using an expired token produces a status code of 401 - Unauthorized", GitHub's
   * create-an-installation-access-token reference) forgets that token, mints a new one and retries the
   * call once. A second 401 surfaces.
   */
  private ApiResponse send(ApiCall call) {
    AtomicReference<String> used = new AtomicReference<>();
    Supplier<String> recording = () -> {
      String header = authorization.get();
      used.set(header);
      return header;
    };
    try {
      return http.send(call, recording, deadline);
    } catch (GitHubApiException e) {
      if (tokens == null || e.status() != 401 || used.get() == null) {
        throw e;
      }
      tokens.invalidate(used.get());
      return http.send(call, authorization, deadline);
    }
  }

  private String runnersPath() {
    return scope.apiPath() + "/actions/runners";
  }

  private static Runner runner(JsonNode node) {
    List<String> labels = new ArrayList<>();
    node.path("labels").forEach(label -> labels.add(label.path("name").asText()));
    return new Runner(node.path("id").asLong(), node.path("name").asText(), node.path("os").asText("unknown"),
        node.path("status").asText("offline"), node.path("busy").asBoolean(), labels,
        node.path("ephemeral").asBoolean(false));
  }

  /** github.com for api.github.com, the host for GHES ({@code /api/v3}), the tenant for GHE.com. */
  static URI serverUrlFor(URI apiUrl) {
    String text = apiUrl.toString().replaceAll("/+$", "");
    if (text.endsWith("/api/v3")) {
      return URI.create(text.substring(0, text.length() - "/api/v3".length()));
    }
    String host = apiUrl.getHost();
    if (host != null && host.startsWith("api.")) {
      return URI.create(apiUrl.getScheme() + "://" + host.substring("api.".length()));
    }
    return URI.create(text);
  }

  /** Builds a {@link GitHubClient}. Not thread-safe; build once and share the client. */
  public static final class Builder {
    private GitHubScope scope;
    private GitHubCredentials credentials;
    private URI apiUrl = DEFAULT_API_URL;
    private URI serverUrl;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Random random = new SecureRandom();
    private HttpClient httpClient;
    private String userAgent = "oneshot";
    private Consumer<String> onSecret = secret -> { };

    private Builder() {}

    public Builder scope(GitHubScope scope) {
      this.scope = scope;
      return this;
    }

    public Builder credentials(GitHubCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * The API root: {@code https://api.github.com}, or {@code https://HOST/api/v3} for GitHub
     * Enterprise Server.
     *
     * Plain {@code http://} is refused except on loopback ({@code localhost}, 127.0.0.0/8, {@code ::1}),
     * where local fakes and tunnels live: anywhere else the token, the JIT configs and registration
     * tokens would cross the network in clear text.
     *
     * @throws InvalidSettingsException naming {@code github-api-url} when it is not an https URL, or an
     *     http URL to a host other than loopback
     */
    public Builder apiUrl(URI apiUrl) {
      String scheme = apiUrl.getScheme() == null ? null : apiUrl.getScheme().toLowerCase(Locale.ROOT);
      if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || apiUrl.getHost() == null) {
        throw new InvalidSettingsException("github-api-url '" + apiUrl + "' is not an http(s) URL;"
            + " use https://api.github.com or https://HOST/api/v3 for GitHub Enterprise Server");
      }
      if (scheme.equals("http") && !isLoopback(apiUrl.getHost())) {
        throw new InvalidSettingsException("github-api-url '" + apiUrl + "' uses http:// to a host that is not"
            + " loopback: credentials and runner configs would travel unencrypted; use https://");
      }
      this.apiUrl = apiUrl;
      return this;
    }

    /** localhost, 127.0.0.0/8 or ::1, from the literal host only (no DNS lookup). */
    static boolean isLoopback(String host) {
      String name = host.toLowerCase(Locale.ROOT);
      if (name.startsWith("[") && name.endsWith("]")) {
        name = name.substring(1, name.length() - 1);
      }
      if (name.equals("localhost")) {
        return true;
      }
      if (name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
        return true;
      }
      return name.matches("(0{0,4}:){2,7}0{0,3}1") || name.equals("::1");
    }

    /** The web URL ({@code https://github.com}); derived from the API URL when not set. */
    public Builder serverUrl(URI serverUrl) {
      this.serverUrl = serverUrl;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How the client waits between retries; tests pass one that advances their clock. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** The source of backoff jitter; seed it in tests. */
    public Builder random(Random random) {
      this.random = random;
      return this;
    }

    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /**
     * Called with every secret the client receives (JIT configs, registration and installation tokens)
     * before it is used, so Actions mode can mask it.
     */
    public Builder onSecret(Consumer<String> onSecret) {
      this.onSecret = onSecret;
      return this;
    }

    public GitHubClient build() {
      return new GitHubClient(this);
    }
  }
}
