package io.oneshot.fakes.github;

import com.nimbusds.jwt.JWTClaimsSet;
import io.oneshot.fakes.github.internal.ApiSpec;
import io.oneshot.fakes.github.internal.AppJwtVerifier;
import io.oneshot.fakes.github.internal.ContractValidator;
import io.oneshot.fakes.github.internal.Endpoints;
import io.oneshot.fakes.github.internal.FaultPlan;
import io.oneshot.fakes.github.internal.GitHubHandler;
import io.oneshot.fakes.github.internal.GitHubState;
import io.oneshot.fakes.github.internal.RateLimiter;
import io.oneshot.fakes.github.internal.RsaKeys;
import io.oneshot.fakes.github.internal.Secrets;
import io.oneshot.fakes.IssuedSecrets;
import io.oneshot.fakes.internal.LoopbackServer;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A stateful, wire-faithful fake of the GitHub REST API for self-hosted runners, served over HTTP on
 * 127.0.0.1 (random port). It serves the operations of the bundled OpenAPI contract
 * ({@code contracts/github-runners-openapi.json}) at repository ({@code "repos/OWNER/REPO"}),
 * organization ({@code "orgs/ORG"}) and enterprise ({@code "enterprises/SLUG"}) scope, plus GitHub App
 * installation tokens and {@code /rate_limit}. It checks every request against the contract (answering
 * 404/422 as GitHub does) and every response it sends (violations fail {@link #close()}), authenticates
 * PATs, installation tokens and App JWTs, keeps a per-credential primary rate limit, and can inject
 * faults ({@link #faults()}). Time comes only from the injected clock and is applied lazily; the fake
 * runs no timers.
 *
 * <p>Repository scopes have no runner groups: a repository JIT request must name group 1 (the implicit
 * default), any other id gets 422 like an unknown group at org scope.
 *
 * <p>All methods are thread-safe. The state hooks ({@link #connectJit}, {@link #startJob}, ...) stand in
 * for the runner application; {@link SimulatedRunner} drives them from a clock.
 */
public final class FakeGitHub implements AutoCloseable {
  private final LoopbackServer server;
  private final URI apiUrl;
  private final URI serverUrl;
  private final Clock clock;
  private final GitHubState state;
  private final GitHubHandler handler;
  private final AppJwtVerifier jwts;
  private final FaultInjector faults;
  private final Set<String> scaleSetJits = ConcurrentHashMap.newKeySet();
  private final List<SimulatedRunner> scaleSetRunners = new ArrayList<>();
  private final List<BooleanSupplier> scaleSetLaunchers = new ArrayList<>();

  private FakeGitHub(Builder builder) {
    this.clock = builder.clock;
    ContractValidator validator = ContractValidator.get();
    server = LoopbackServer.bind("GitHub", Optional.empty());
    String origin = server.origin().toString();
    this.apiUrl = URI.create(origin + builder.prefix);
    this.serverUrl = URI.create(origin);
    Secrets secrets = new Secrets(builder.seed);
    this.state = new GitHubState(clock, secrets, origin);
    this.jwts = new AppJwtVerifier(state, clock);
    RateLimiter limiter = new RateLimiter(clock);
    FaultPlan plan = new FaultPlan(builder.seed);
    this.faults = new FaultInjector(plan, limiter);
    Endpoints endpoints = new Endpoints(state, limiter, clock, origin, apiUrl.toString(), origin);
    this.handler = new GitHubHandler(builder.prefix, ApiSpec.get(), validator, state, jwts, limiter, plan,
        endpoints, secrets);
    server.start(handler);
    GitHubState secretsView = state;
    IssuedSecrets.register(this, secretsView::issuedSecretKinds);
  }

  /** A builder with the system UTC clock, seed 0 and the github.com path layout. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a {@link FakeGitHub}. Not thread-safe; use once. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private long seed;
    private String prefix = "";

    private Builder() {}

    /** The clock for expiries, rate-limit windows and runner lifecycles (a TestClock in tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Seeds every random choice: tokens, request ids, random faults. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** {@code ""} for the github.com layout, {@code "/api/v3"} for GitHub Enterprise Server. */
    public Builder apiPathPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
        throw new IllegalArgumentException("a prefix starts with / and does not end with /: " + prefix);
      }
      this.prefix = prefix;
      return this;
    }

    /** Starts the server (blocks briefly; the first fake in a JVM also builds the contract validator). */
    public FakeGitHub build() {
      return new FakeGitHub(this);
    }
  }

  // ---- addresses ----------------------------------------------------------------------------------

  /** The REST API base URL, e.g. {@code http://127.0.0.1:PORT} or {@code .../api/v3}; no trailing slash. */
  public URI apiUrl() {
    return apiUrl;
  }

  /** The web base URL ({@code GITHUB_SERVER_URL}), {@code http://127.0.0.1:PORT}. */
  public URI serverUrl() {
    return serverUrl;
  }

  /** The URL {@code config.sh --url} takes for a scope, e.g. {@code http://127.0.0.1:PORT/octo/app}. */
  public URI configUrl(String scopeKey) {
    return URI.create(state.webUrl(scopeKey));
  }

  /** The injected clock. */
  public Clock clock() {
    return clock;
  }

  // ---- scopes -------------------------------------------------------------------------------------

  /** Adds a repository ({@code "owner/name"}); idempotent. Returns its scope key {@code repos/owner/name}. */
  public String addRepository(String ownerAndName) {
    return state.addScope(GitHubState.Kind.REPO, ownerAndName);
  }

  /** Adds an organization with its default runner group (id 1); idempotent. Returns {@code orgs/ORG}. */
  public String addOrganization(String org) {
    return state.addScope(GitHubState.Kind.ORG, org);
  }

  /** Adds an enterprise with its default runner group (id 1); idempotent. Returns {@code enterprises/SLUG}. */
  public String addEnterprise(String slug) {
    return state.addScope(GitHubState.Kind.ENTERPRISE, slug);
  }

  /** Adds a runner group to an org or enterprise; returns its id. Not idempotent (a name clash throws). */
  public long addRunnerGroup(String orgOrEnterpriseKey, String name) {
    return state.addRunnerGroup(orgOrEnterpriseKey, name);
  }

  // ---- credentials --------------------------------------------------------------------------------

  /** A new PAT ({@code ghp_...}) valid for every scope. Never expires. */
  public String issueToken() {
    return state.issuePat();
  }

  /**
   * A new PAT valid only for the given scopes; on others GitHub answers 403 "Resource not accessible by
   * personal access token".
   */
  public String issueToken(String... scopeKeys) {
    if (scopeKeys.length == 0) {
      throw new IllegalArgumentException("name at least one scope, or use issueToken()");
    }
    return state.issuePat(scopeKeys);
  }

  /** A registration token for a scope, as the API's registration-token operation would return. */
  public String createRegistrationToken(String scopeKey) {
    return state.issueRunnerToken(scopeKey, true).token();
  }

  /** Registers a new GitHub App with a fresh 2048-bit RSA key (blocks for up to ~0.5 s). */
  public FakeGitHubApp createApp() {
    KeyPair keys = RsaKeys.generate();
    long appId = state.addApp(keys.getPublic());
    byte[] pkcs8 = keys.getPrivate().getEncoded();
    FakeGitHubApp app = new FakeGitHubApp(appId, RsaKeys.pkcs1Pem(pkcs8), RsaKeys.pkcs8Pem(pkcs8));
    for (String pem : List.of(app.privateKeyPkcs1Pem(), app.privateKeyPkcs8Pem())) {
      pem.lines().filter(line -> !line.startsWith("-----") && line.length() >= 32)
          .forEach(line -> state.recordSecret(line, "GitHub App private key"));
    }
    return app;
  }

  /**
   * Installs an App on a repository or organization; returns the installation id. Its tokens work on
   * that repository, or on the organization and all its repositories; never at enterprise scope.
   */
  public long install(FakeGitHubApp app, String scopeKey) {
    return state.install(app.appId(), scopeKey);
  }

  /**
   * Revokes every installation token issued so far, as {@code DELETE /installation/token} or an
   * uninstall would: GitHub then answers requests made with them 401 "Bad credentials". Returns how many
   * were revoked. The installations stay; new tokens can be minted.
   */
  public int revokeInstallationTokens() {
    return state.revokeInstallationTokens();
  }

  /** The claims of every App JWT received (valid or not), in arrival order. */
  public List<JWTClaimsSet> receivedAppJwts() {
    return jwts.received();
  }

  /**
   * Every secret the fake issued: PATs, installation tokens, registration and remove tokens, encoded
   * JIT configs and the secret parts inside them. For scanning logs.
   */
  public Set<String> issuedSecrets() {
    return state.issuedSecrets();
  }

  /**
   * The same secrets mapped to their kind: {@code personal access token}, {@code installation token},
   * {@code registration token}, {@code remove token}, {@code JIT config}, {@code GitHub App private key}.
   * The fake also publishes them to {@link IssuedSecrets} for leak scans.
   */
  public Map<String, String> issuedSecretKinds() {
    return state.issuedSecretKinds();
  }

  // ---- runners (the runner application's side) ----------------------------------------------------

  /** The runners of a scope, by id. */
  public List<FakeRunner> runners(String scopeKey) {
    return state.runnersOf(scopeKey).stream().map(GitHubState.RunnerView::toFakeRunner).toList();
  }

  /** One runner of a scope, if it exists. */
  public Optional<FakeRunner> runner(String scopeKey, long id) {
    return state.findRunner(scopeKey, id).map(GitHubState.RunnerView::toFakeRunner);
  }

  /**
   * The runner application starting with {@code ./run.sh --jitconfig}: marks the runner online.
   *
   * @throws IllegalStateException if the config was never issued, was already used (single-use), or its
   *     runner no longer exists
   */
  public FakeRunner connectJit(String encodedJitConfig) {
    return state.connectJit(encodedJitConfig).toFakeRunner();
  }

  /**
   * What {@code config.sh --token} then {@code run.sh} do: registers an online runner in the token's
   * scope and group ({@code null} group = default) with labels {@code self-hosted}, {@code Linux},
   * {@code X64} plus {@code labels}.
   *
   * @throws IllegalStateException if the token is unknown, a remove token or expired, the group is
   *     unknown, or the name is taken
   */
  public FakeRunner configureWithToken(String registrationToken, String runnerName, List<String> labels,
      String runnerGroupName, boolean ephemeral) {
    return state.configureWithToken(registrationToken, runnerName, labels, runnerGroupName, ephemeral)
        .toFakeRunner();
  }

  /** The scope a registration token issued by this fake belongs to. */
  public Optional<String> scopeOfRegistrationToken(String token) {
    return state.scopeOfRunnerToken(token);
  }

  /** The runner application disconnecting; idempotent, no-op if the runner is gone. */
  public void goOffline(String scopeKey, long id) {
    state.goOffline(scopeKey, id);
  }

  /** The runner picking up a job (busy); it must be online and idle, else IllegalStateException. */
  public void startJob(String scopeKey, long id) {
    state.startJob(scopeKey, id);
  }

  /** The job ends (not busy); an ephemeral runner is then removed. IllegalStateException if not busy. */
  public void finishJob(String scopeKey, long id) {
    state.finishJob(scopeKey, id);
  }

  /** The runner deregistering itself ({@code config.sh remove}); idempotent. */
  public void removeRunner(String scopeKey, long id) {
    state.removeRunner(scopeKey, id);
  }

  // ---- the scale-set side (runner-registration exchange, scale-set JIT configs) --------------------

  /**
   * Serves {@code POST /actions/runner-registration} (not in the REST contract: GitHub's scale-set
   * client is its only reference) with {@code exchange}; without one the path is 404. Used by the fake
   * scale-set service.
   */
  public void serveRunnerRegistration(RunnerRegistrationExchange exchange) {
    handler.runnerRegistration(exchange);
  }

  /** A scale-set runner registered by the Actions service, with its single-use JIT config. Hides the config. */
  public record IssuedJit(long runnerId, String runnerName, String encodedJitConfig) {
    @Override
    public String toString() {
      return "IssuedJit[runnerId=" + runnerId + ", runnerName=" + runnerName + ", encodedJitConfig=***]";
    }
  }

  /**
   * Registers an offline ephemeral runner in a scope and group, as the Actions service does for a scale
   * set, and returns its JIT config (which {@link SimulatedRunner#fromJitConfig} and {@link #connectJit}
   * accept).
   *
   * @throws IllegalStateException when the name is taken in the scope, or the group is unknown
   */
  public IssuedJit issueScaleSetJit(String scopeKey, String name, long groupId, List<String> labels) {
    try {
      GitHubState.JitIssued issued = state.generateJit(scopeKey, name, groupId, labels, "_work");
      scaleSetJits.add(issued.encodedJitConfig());
      return new IssuedJit(issued.runner().id(), issued.runner().name(), issued.encodedJitConfig());
    } catch (io.oneshot.fakes.github.internal.ApiError e) {
      throw new IllegalStateException("cannot register runner " + name + " in " + scopeKey + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Every {@link SimulatedRunner} started from a JIT config of {@link #issueScaleSetJit}, in the order they
   * were created (exited ones included), so the fake scale-set service can hand them jobs. First catches
   * up the watched launchers ({@link #watchScaleSetLauncher}), so a container whose start time has passed
   * has its runner in the list even if nobody looked at it. A copy; never blocks for long.
   */
  public List<SimulatedRunner> scaleSetRunners() {
    List<BooleanSupplier> launchers;
    synchronized (scaleSetRunners) {
      launchers = List.copyOf(scaleSetLaunchers);
    }
    // Outside the lock: a launcher starting its runner registers it here.
    java.util.Set<BooleanSupplier> done = Collections.newSetFromMap(new IdentityHashMap<>());
    for (BooleanSupplier launcher : launchers) {
      if (launcher.getAsBoolean()) {
        done.add(launcher);
      }
    }
    synchronized (scaleSetRunners) {
      scaleSetLaunchers.removeIf(done::contains);
      return List.copyOf(scaleSetRunners);
    }
  }

  /**
   * Watches something that starts a runner from {@code encodedJitConfig} lazily (a simulated container),
   * if that config is a scale-set one: {@link #scaleSetRunners()} calls {@code catchUp} until it returns
   * {@code true} (its runner started, or it will never start one). No-op for other configs; never blocks.
   */
  public void watchScaleSetLauncher(String encodedJitConfig, BooleanSupplier catchUp) {
    Objects.requireNonNull(catchUp, "catchUp");
    if (encodedJitConfig != null && scaleSetJits.contains(encodedJitConfig)) {
      synchronized (scaleSetRunners) {
        scaleSetLaunchers.add(catchUp);
      }
    }
  }

  /** Called by {@link SimulatedRunner#fromJitConfig}: remembers runners of scale-set JIT configs. */
  void simulatedRunnerCreated(SimulatedRunner runner, String encodedJitConfig) {
    if (scaleSetJits.contains(encodedJitConfig)) {
      synchronized (scaleSetRunners) {
        scaleSetRunners.add(runner);
      }
    }
  }

  /** The runner groups of a scope by id (name, and whether it is the default). */
  public Map<Long, String> runnerGroups(String scopeKey) {
    Map<Long, String> out = new java.util.LinkedHashMap<>();
    state.groups(scopeKey).forEach(group -> out.put(group.id(), group.name()));
    return out;
  }

  // ---- faults, counters, contract -----------------------------------------------------------------

  /** The fault plan of this fake. */
  public FaultInjector faults() {
    return faults;
  }

  /** Requests received for an operation id, faulted ones included. */
  public int callCount(String operationId) {
    return handler.callCount(operationId);
  }

  /** Requests received in total. */
  public int callCount() {
    return handler.callCount();
  }

  /** Every request in the order answered. */
  public List<RecordedCall> calls() {
    return handler.calls();
  }

  /** Responses this fake sent that break the contract (a bug in the fake); they fail {@link #close()}. */
  public List<String> contractViolations() {
    return handler.violations();
  }

  /** Requests the fake rejected because they break the contract (404/422), with the validator's reasons. */
  public List<String> rejectedRequests() {
    return handler.rejections();
  }

  /** How long building the shared OpenAPI validator took (once per JVM). */
  public static Duration validatorBuildTime() {
    return ContractValidator.get().buildTime();
  }

  /**
   * Stops the server (blocks until in-flight exchanges end) and fails if any response broke the contract.
   *
   * @throws AssertionError listing the contract violations, if any
   */
  @Override
  public void close() {
    server.close();
    List<String> violations = contractViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError("the fake GitHub sent " + violations.size()
          + " response(s) that break the contract:\n  " + String.join("\n  ", violations));
    }
  }
}
