package io.oneshot.fakes.github.internal;

import io.oneshot.fakes.github.FakeRunner;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the fake GitHub knows: scopes, runner groups, runners, credentials, Apps and their
 * installations, issued JIT configs. Time-based changes (token expiry, GitHub's removal of runners that
 * stopped connecting) are applied lazily from the clock whenever the state is touched; there are no
 * timers. Every method is atomic (one lock); safe to call from the HTTP threads and the test thread.
 */
public final class GitHubState {
  /** What kind of owner a scope is. */
  public enum Kind {
    REPO, ORG, ENTERPRISE
  }

  /** Registration, remove and installation tokens live one hour. */
  public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  /** GitHub removes an ephemeral runner that has not connected for a day. */
  public static final Duration EPHEMERAL_RUNNER_IDLE_REMOVAL = Duration.ofDays(1);
  /** GitHub removes a runner that has not connected for 14 days. */
  public static final Duration RUNNER_IDLE_REMOVAL = Duration.ofDays(14);
  /** The id of every org's and enterprise's default runner group. */
  public static final long DEFAULT_GROUP_ID = 1;
  /** The version a runner reports once connected. */
  public static final String RUNNER_VERSION = "2.330.0";

  private static final Set<String> OS_LABELS = Set.of("linux", "windows", "macos");
  private static final Set<String> ARCH_LABELS = Set.of("x64", "arm64", "arm");

  /** A runner label. */
  public record Label(long id, String name, boolean readOnly) {}

  /** A runner group. */
  public record Group(long id, String name, boolean isDefault) {}

  /** A snapshot of a runner. */
  public record RunnerView(long id, String name, String os, String status, boolean busy,
      List<Label> labels, boolean ephemeral, long groupId, String version) {
    /** The public record. */
    public FakeRunner toFakeRunner() {
      return new FakeRunner(id, name, status, busy, labels.stream().map(Label::name).toList(),
          ephemeral, groupId);
    }
  }

  /** A registration or remove token. */
  public record RunnerToken(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "RunnerToken[***, expiresAt=" + expiresAt + "]";
    }
  }

  /** A JIT runner just created. */
  public record JitIssued(RunnerView runner, String encodedJitConfig) {
    @Override
    public String toString() {
      return "JitIssued[" + runner.id() + ", ***]";
    }
  }

  /** An App installation. */
  public record InstallationView(long id, long appId, String scopeKey, String accountLogin,
      Instant createdAt) {}

  /** An installation access token. */
  public record InstallationToken(String token, Instant expiresAt, InstallationView installation) {
    @Override
    public String toString() {
      return "InstallationToken[***, expiresAt=" + expiresAt + "]";
    }
  }

  private static final class Scope {
    final String key;
    final Kind kind;
    final String name;
    final Map<Long, Group> groups = new LinkedHashMap<>();
    final Map<Long, RunnerRec> runners = new TreeMap<>();
    long nextGroupId = DEFAULT_GROUP_ID + 1;

    Scope(String key, Kind kind, String name) {
      this.key = key;
      this.kind = kind;
      this.name = name;
      groups.put(DEFAULT_GROUP_ID, new Group(DEFAULT_GROUP_ID, "Default", true));
    }
  }

  private static final class RunnerRec {
    long id;
    String name;
    String os = "unknown";
    boolean online;
    boolean busy;
    List<Label> labels;
    boolean ephemeral;
    long groupId;
    Instant lastSeen;
    String version;

    RunnerView view() {
      return new RunnerView(id, name, os, online ? "online" : "offline", busy, List.copyOf(labels),
          ephemeral, groupId, version);
    }
  }

  private record TokenRec(String scopeKey, boolean registration, Instant expiresAt) {}

  private record InstallationTokenRec(long installationId, Instant expiresAt) {}

  private static final class JitRec {
    final long runnerId;
    final String scopeKey;
    boolean used;

    JitRec(long runnerId, String scopeKey) {
      this.runnerId = runnerId;
      this.scopeKey = scopeKey;
    }
  }

  private final Clock clock;
  private final Secrets secrets;
  private final String serverUrl;
  private final Map<String, Scope> scopes = new LinkedHashMap<>();
  private final Map<String, Set<String>> pats = new HashMap<>();
  private final Map<String, InstallationTokenRec> installationTokens = new HashMap<>();
  private final Map<String, TokenRec> runnerTokens = new HashMap<>();
  private final Map<String, JitRec> jitConfigs = new HashMap<>();
  private final Map<Long, PublicKey> apps = new HashMap<>();
  private final Map<Long, InstallationView> installations = new LinkedHashMap<>();
  /** Every secret issued, in issue order, mapped to its kind (for leak scans; never printed). */
  private final Map<String, String> issuedSecrets = new LinkedHashMap<>();
  /** Secrets made outside the API (App private keys): in the kinds map, not in {@link #issuedSecrets()}. */
  private final Map<String, String> otherSecrets = new LinkedHashMap<>();
  private long nextRunnerId = 1;
  private long nextLabelId = 1;
  private long nextAppId = 100_001;
  private long nextInstallationId = 40_000_001;

  /**
   * @param serverUrl the web URL runners are configured with ({@code GitHubUrl}), no trailing slash
   */
  public GitHubState(Clock clock, Secrets secrets, String serverUrl) {
    this.clock = clock;
    this.secrets = secrets;
    this.serverUrl = serverUrl;
  }

  public Clock clock() {
    return clock;
  }

  // ---- scopes and groups ------------------------------------------------------------------------

  /** Adds a scope; idempotent. Returns its key. */
  public synchronized String addScope(Kind kind, String name) {
    String key = switch (kind) {
      case REPO -> {
        String[] parts = name.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
          throw new IllegalArgumentException("a repository is owner/name: " + name);
        }
        yield "repos/" + name;
      }
      case ORG -> "orgs/" + requireSegment(name);
      case ENTERPRISE -> "enterprises/" + requireSegment(name);
    };
    scopes.putIfAbsent(normalize(key), new Scope(key, kind, name));
    return key;
  }

  /** Adds a runner group to an org or enterprise; returns its id. */
  public synchronized long addRunnerGroup(String scopeKey, String name) {
    Scope scope = requireScope(scopeKey);
    if (scope.kind == Kind.REPO) {
      throw new IllegalArgumentException("repositories have no runner groups: " + scopeKey);
    }
    if (findGroup(scope, name).isPresent()) {
      throw new IllegalArgumentException("runner group exists: " + name);
    }
    long id = scope.nextGroupId++;
    scope.groups.put(id, new Group(id, name, false));
    return id;
  }

  /** The groups of an org or enterprise, default first. 404 if unknown. */
  public synchronized List<Group> groups(String scopeKey) {
    return List.copyOf(scopeOr404(scopeKey).groups.values());
  }

  /** The kind of a known scope. */
  public synchronized Optional<Kind> kind(String scopeKey) {
    return Optional.ofNullable(scopes.get(normalize(scopeKey))).map(s -> s.kind);
  }

  /** The scope's URL on the web side, as {@code config.sh --url} takes it. */
  public synchronized String webUrl(String scopeKey) {
    Scope scope = requireScope(scopeKey);
    return serverUrl + "/" + (scope.kind == Kind.ENTERPRISE ? "enterprises/" : "") + scope.name;
  }

  // ---- credentials ------------------------------------------------------------------------------

  /** Issues a PAT valid for the given scopes (all scopes when none are given). */
  public synchronized String issuePat(String... scopeKeys) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String key : scopeKeys) {
      allowed.add(normalize(requireScope(key).key));
    }
    String token = secrets.personalAccessToken();
    pats.put(token, allowed);
    issuedSecrets.put(token, "personal access token");
    return token;
  }

  /** Resolves a token (PAT or installation token); 401 {@code Bad credentials} if unknown or expired. */
  public synchronized Principal authenticateToken(String token) {
    Set<String> pat = pats.get(token);
    if (pat != null) {
      return new Principal.Pat(token, pat);
    }
    InstallationTokenRec rec = installationTokens.get(token);
    if (rec != null && clock.instant().isBefore(rec.expiresAt())) {
      InstallationView installation = installations.get(rec.installationId());
      if (installation != null) {
        return new Principal.Installation(token, rec.installationId(), installation.scopeKey());
      }
    }
    throw new ApiError(401, "Bad credentials");
  }

  /**
   * Checks that {@code principal} may use the runner endpoints of {@code scopeKey}: 404 for an unknown
   * scope, 403 when the credential does not cover it.
   */
  public synchronized void authorize(Principal principal, String scopeKey) {
    Scope scope = scopeOr404(scopeKey);
    String key = normalize(scope.key);
    if (principal instanceof Principal.Pat pat) {
      if (!pat.scopes().isEmpty() && !pat.scopes().contains(key)) {
        throw new ApiError(403, "Resource not accessible by personal access token");
      }
    } else if (principal instanceof Principal.Installation installation) {
      if (scope.kind == Kind.ENTERPRISE || !covers(installation.scopeKey(), scope)) {
        throw new ApiError(403, "Resource not accessible by integration");
      }
    } else {
      throw new ApiError(401, "Requires authentication");
    }
  }

  // ---- Apps -------------------------------------------------------------------------------------

  /** Registers an App with its public key; returns its id. */
  public synchronized long addApp(PublicKey publicKey) {
    long id = nextAppId++;
    apps.put(id, publicKey);
    return id;
  }

  /** The App's public key, if registered. */
  public synchronized Optional<PublicKey> appKey(long appId) {
    return Optional.ofNullable(apps.get(appId));
  }

  /** Installs an App on a repository or organization; returns the installation id. */
  public synchronized long install(long appId, String scopeKey) {
    if (!apps.containsKey(appId)) {
      throw new IllegalArgumentException("unknown app " + appId);
    }
    Scope scope = requireScope(scopeKey);
    if (scope.kind == Kind.ENTERPRISE) {
      throw new IllegalArgumentException("Apps are installed on repositories or organizations");
    }
    long id = nextInstallationId++;
    String login = scope.kind == Kind.REPO ? scope.name.substring(0, scope.name.indexOf('/')) : scope.name;
    installations.put(id, new InstallationView(id, appId, scope.key, login, clock.instant()));
    return id;
  }

  /** The App's installation that covers a repository or is on an org; 404 otherwise. */
  public synchronized InstallationView installationFor(long appId, String scopeKey) {
    Scope scope = scopeOr404(scopeKey);
    InstallationView fallback = null;
    for (InstallationView installation : installations.values()) {
      if (installation.appId() != appId) {
        continue;
      }
      if (normalize(installation.scopeKey()).equals(normalize(scope.key))) {
        return installation;
      }
      if (scope.kind == Kind.REPO && covers(installation.scopeKey(), scope)) {
        fallback = installation;
      }
    }
    if (fallback == null) {
      throw ApiError.notFound();
    }
    return fallback;
  }

  /** Forgets every installation token (they then authenticate as 401); returns how many there were. */
  public synchronized int revokeInstallationTokens() {
    int count = installationTokens.size();
    installationTokens.clear();
    return count;
  }

  /** Issues an installation token for one of the App's installations; 404 if not the App's. */
  public synchronized InstallationToken issueInstallationToken(long appId, long installationId) {
    InstallationView installation = installations.get(installationId);
    if (installation == null || installation.appId() != appId) {
      throw ApiError.notFound();
    }
    String token = secrets.installationToken();
    Instant expiresAt = clock.instant().plus(TOKEN_LIFETIME);
    installationTokens.put(token, new InstallationTokenRec(installationId, expiresAt));
    issuedSecrets.put(token, "installation token");
    return new InstallationToken(token, expiresAt, installation);
  }

  // ---- runner tokens and JIT --------------------------------------------------------------------

  /** A new registration ({@code registration} true) or remove token for a scope. 404 if unknown. */
  public synchronized RunnerToken issueRunnerToken(String scopeKey, boolean registration) {
    Scope scope = scopeOr404(scopeKey);
    String token = secrets.runnerToken();
    Instant expiresAt = clock.instant().plus(TOKEN_LIFETIME);
    runnerTokens.put(token, new TokenRec(scope.key, registration, expiresAt));
    issuedSecrets.put(token, registration ? "registration token" : "remove token");
    return new RunnerToken(token, expiresAt);
  }

  /** Creates an offline JIT runner and its single-use config (409 on a name clash, 422 on bad input). */
  public synchronized JitIssued generateJit(String scopeKey, String name, long groupId,
      List<String> labels, String workFolder) {
    sweep();
    Scope scope = scopeOr404(scopeKey);
    if (labels.isEmpty() || labels.size() > 100) {
      throw ApiError.unprocessable("Validation Failed",
          List.of("labels must contain between 1 and 100 items"));
    }
    Group group = scope.groups.get(groupId);
    if (group == null) {
      throw ApiError.unprocessable("Validation Failed",
          List.of("Runner group with id " + groupId + " not found"));
    }
    if (name.isBlank()) {
      throw ApiError.unprocessable("Validation Failed", List.of("name can't be blank"));
    }
    requireFreeName(scope, name, () -> new ApiError(409,
        "Already exists - A runner with the name " + name + " already exists."));
    RunnerRec runner = newRunner(scope, name, typed(labels), true, groupId);
    JitCodec.Encoded encoded = JitCodec.encode(runner.id, name, scope.key, groupId, group.name(),
        workFolder, serverUrl, webUrl(scope.key), secrets);
    jitConfigs.put(encoded.encoded(), new JitRec(runner.id, scope.key));
    encoded.secretParts().forEach(part -> issuedSecrets.putIfAbsent(part, "JIT config"));
    return new JitIssued(runner.view(), encoded.encoded());
  }

  // ---- runner queries and changes over the API --------------------------------------------------

  /** Runners of a scope, optionally filtered by exact name (case-insensitive). 404 if unknown. */
  public synchronized List<RunnerView> listRunners(String scopeKey, String name) {
    sweep();
    List<RunnerView> out = new ArrayList<>();
    for (RunnerRec runner : scopeOr404(scopeKey).runners.values()) {
      if (name == null || runner.name.equalsIgnoreCase(name)) {
        out.add(runner.view());
      }
    }
    return out;
  }

  /** One runner; 404 if absent. */
  public synchronized RunnerView runner(String scopeKey, long id) {
    sweep();
    return runnerOr404(scopeKey, id).view();
  }

  /** Removes a runner; 404 if absent, 422 if it is running a job. */
  public synchronized void deleteRunner(String scopeKey, long id) {
    sweep();
    RunnerRec runner = runnerOr404(scopeKey, id);
    if (runner.busy) {
      throw ApiError.unprocessable("Bad request - Runner \"" + runner.name + "\" is still running a job",
          List.of());
    }
    scopeOr404(scopeKey).runners.remove(id);
  }

  /** Adds custom labels; returns all labels. */
  public synchronized List<Label> addLabels(String scopeKey, long id, List<String> names) {
    RunnerRec runner = runnerOr404(scopeKey, id);
    List<Label> labels = new ArrayList<>(runner.labels);
    for (String name : names) {
      if (labels.stream().noneMatch(l -> l.name().equalsIgnoreCase(name))) {
        labels.add(new Label(nextLabelId++, name, false));
      }
    }
    runner.labels = labels;
    return List.copyOf(labels);
  }

  /** Replaces the custom labels; returns all labels. */
  public synchronized List<Label> setLabels(String scopeKey, long id, List<String> names) {
    RunnerRec runner = runnerOr404(scopeKey, id);
    runner.labels = new ArrayList<>(runner.labels.stream().filter(Label::readOnly).toList());
    return addLabels(scopeKey, id, names);
  }

  /** Removes one custom label (404 if absent); returns the remaining labels. */
  public synchronized List<Label> removeLabel(String scopeKey, long id, String name) {
    RunnerRec runner = runnerOr404(scopeKey, id);
    List<Label> remaining = new ArrayList<>(runner.labels);
    if (!remaining.removeIf(l -> !l.readOnly() && l.name().equalsIgnoreCase(name))) {
      throw ApiError.notFound();
    }
    runner.labels = remaining;
    return List.copyOf(remaining);
  }

  /** The labels of a runner. */
  public synchronized List<Label> labels(String scopeKey, long id) {
    return List.copyOf(runnerOr404(scopeKey, id).labels);
  }

  // ---- the runner application's side (Java API) -------------------------------------------------

  /** The runners of a scope (IllegalArgumentException if unknown). */
  public synchronized List<RunnerView> runnersOf(String scopeKey) {
    sweep();
    return requireScope(scopeKey).runners.values().stream().map(RunnerRec::view).toList();
  }

  /** One runner, if present. */
  public synchronized Optional<RunnerView> findRunner(String scopeKey, long id) {
    sweep();
    return Optional.ofNullable(requireScope(scopeKey).runners.get(id)).map(RunnerRec::view);
  }

  /** The runner application starting with a JIT config: single use, runner must still exist. */
  public synchronized RunnerView connectJit(String encoded) {
    sweep();
    JitRec rec = jitConfigs.get(encoded);
    if (rec == null) {
      throw new IllegalStateException("this JIT config was never issued by the fake GitHub");
    }
    if (rec.used) {
      throw new IllegalStateException("this JIT config was already used (JIT configs are single-use)");
    }
    rec.used = true;
    RunnerRec runner = requireScope(rec.scopeKey).runners.get(rec.runnerId);
    if (runner == null) {
      throw new IllegalStateException("runner " + rec.runnerId + " of this JIT config no longer exists");
    }
    connect(runner);
    return runner.view();
  }

  /** What {@code config.sh} then {@code run.sh} do with a registration token. */
  public synchronized RunnerView configureWithToken(String token, String name, List<String> labels,
      String groupName, boolean ephemeral) {
    sweep();
    TokenRec rec = runnerTokens.get(token);
    if (rec == null || !rec.registration()) {
      throw new IllegalStateException("not a registration token issued by the fake GitHub");
    }
    if (!clock.instant().isBefore(rec.expiresAt())) {
      throw new IllegalStateException("the registration token has expired");
    }
    Scope scope = requireScope(rec.scopeKey());
    Group group = groupName == null || groupName.isBlank()
        ? scope.groups.get(DEFAULT_GROUP_ID)
        : findGroup(scope, groupName).orElseThrow(
            () -> new IllegalStateException("no runner group named " + groupName + " in " + scope.key));
    requireFreeName(scope, name,
        () -> new IllegalStateException("a runner named " + name + " already exists in " + scope.key));
    List<String> all = new ArrayList<>(List.of("self-hosted", "Linux", "X64"));
    for (String label : labels) {
      if (all.stream().noneMatch(l -> l.equalsIgnoreCase(label))) {
        all.add(label);
      }
    }
    RunnerRec runner = newRunner(scope, name, typed(all), ephemeral, group.id());
    connect(runner);
    return runner.view();
  }

  /** The scope of a registration token that is known, a registration (not remove) token and unexpired. */
  public synchronized Optional<String> validRegistrationTokenScope(String token) {
    TokenRec rec = runnerTokens.get(token);
    if (rec == null || !rec.registration() || !clock.instant().isBefore(rec.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(rec.scopeKey());
  }

  /** The scope a registration token belongs to. */
  public synchronized Optional<String> scopeOfRunnerToken(String token) {
    return Optional.ofNullable(runnerTokens.get(token)).map(TokenRec::scopeKey);
  }

  /** The runner application disconnecting (crash, stop). No-op if the runner is gone. */
  public synchronized void goOffline(String scopeKey, long id) {
    RunnerRec runner = requireScope(scopeKey).runners.get(id);
    if (runner != null) {
      runner.online = false;
      runner.busy = false;
      runner.lastSeen = clock.instant();
    }
  }

  /** The runner taking a job: it must be online and idle. */
  public synchronized void startJob(String scopeKey, long id) {
    sweep();
    RunnerRec runner = requireRunner(scopeKey, id);
    if (!runner.online) {
      throw new IllegalStateException("runner " + id + " is offline");
    }
    if (runner.busy) {
      throw new IllegalStateException("runner " + id + " is already busy");
    }
    runner.busy = true;
  }

  /** The runner finishing its job; an ephemeral runner is then removed. */
  public synchronized void finishJob(String scopeKey, long id) {
    RunnerRec runner = requireRunner(scopeKey, id);
    if (!runner.busy) {
      throw new IllegalStateException("runner " + id + " is not running a job");
    }
    runner.busy = false;
    runner.lastSeen = clock.instant();
    if (runner.ephemeral) {
      requireScope(scopeKey).runners.remove(id);
    }
  }

  /** The runner deregistering itself ({@code config.sh remove}). No-op if already gone. */
  public synchronized void removeRunner(String scopeKey, long id) {
    requireScope(scopeKey).runners.remove(id);
  }

  /** Every secret issued so far, in issue order. */
  public synchronized Set<String> issuedSecrets() {
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(issuedSecrets.keySet()));
  }

  /** Every secret issued so far, mapped to its kind ("installation token", "JIT config", ...). */
  public synchronized Map<String, String> issuedSecretKinds() {
    Map<String, String> all = new LinkedHashMap<>(issuedSecrets);
    otherSecrets.forEach(all::putIfAbsent);
    return java.util.Collections.unmodifiableMap(all);
  }

  /** Records a secret made outside the API (an App's private key), under its kind. */
  public synchronized void recordSecret(String secret, String kind) {
    otherSecrets.putIfAbsent(secret, kind);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Applies GitHub's removal of runners that stopped connecting, as of now. */
  private void sweep() {
    Instant now = clock.instant();
    for (Scope scope : scopes.values()) {
      scope.runners.values().removeIf(runner -> !runner.online && !runner.busy
          && !now.isBefore(runner.lastSeen.plus(
              runner.ephemeral ? EPHEMERAL_RUNNER_IDLE_REMOVAL : RUNNER_IDLE_REMOVAL)));
    }
  }

  private RunnerRec newRunner(Scope scope, String name, List<Label> labels, boolean ephemeral,
      long groupId) {
    RunnerRec runner = new RunnerRec();
    runner.id = nextRunnerId++;
    runner.name = name;
    runner.labels = labels;
    runner.ephemeral = ephemeral;
    runner.groupId = groupId;
    runner.lastSeen = clock.instant();
    scope.runners.put(runner.id, runner);
    return runner;
  }

  private void connect(RunnerRec runner) {
    runner.online = true;
    runner.lastSeen = clock.instant();
    runner.version = RUNNER_VERSION;
    runner.os = runner.labels.stream().map(Label::name)
        .filter(l -> OS_LABELS.contains(l.toLowerCase(Locale.ROOT)))
        .findFirst().orElse("Linux");
  }

  private List<Label> typed(List<String> names) {
    List<Label> labels = new ArrayList<>();
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      boolean readOnly = lower.equals("self-hosted") || OS_LABELS.contains(lower)
          || ARCH_LABELS.contains(lower);
      if (labels.stream().noneMatch(l -> l.name().equalsIgnoreCase(name))) {
        labels.add(new Label(nextLabelId++, name, readOnly));
      }
    }
    return labels;
  }

  private static void requireFreeName(Scope scope, String name,
      java.util.function.Supplier<RuntimeException> error) {
    if (scope.runners.values().stream().anyMatch(r -> r.name.equalsIgnoreCase(name))) {
      throw error.get();
    }
  }

  private static Optional<Group> findGroup(Scope scope, String name) {
    return scope.groups.values().stream().filter(g -> g.name().equalsIgnoreCase(name)).findFirst();
  }

  private boolean covers(String installationScopeKey, Scope scope) {
    String installed = normalize(installationScopeKey);
    String key = normalize(scope.key);
    if (installed.equals(key)) {
      return true;
    }
    if (installed.startsWith("orgs/") && scope.kind == Kind.REPO) {
      return key.startsWith("repos/" + installed.substring("orgs/".length()) + "/");
    }
    return false;
  }

  private Scope scopeOr404(String scopeKey) {
    Scope scope = scopes.get(normalize(scopeKey));
    if (scope == null) {
      throw ApiError.notFound();
    }
    return scope;
  }

  private Scope requireScope(String scopeKey) {
    Scope scope = scopes.get(normalize(scopeKey));
    if (scope == null) {
      throw new IllegalArgumentException("unknown scope " + scopeKey + "; known: " + knownScopes());
    }
    return scope;
  }

  private Collection<String> knownScopes() {
    return scopes.values().stream().map(s -> s.key).toList();
  }

  private RunnerRec runnerOr404(String scopeKey, long id) {
    RunnerRec runner = scopeOr404(scopeKey).runners.get(id);
    if (runner == null) {
      throw ApiError.notFound();
    }
    return runner;
  }

  private RunnerRec requireRunner(String scopeKey, long id) {
    RunnerRec runner = requireScope(scopeKey).runners.get(id);
    if (runner == null) {
      throw new IllegalStateException("no runner " + id + " in " + scopeKey);
    }
    return runner;
  }

  private static String requireSegment(String name) {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("not a valid name: " + name);
    }
    return name;
  }

  /** Scope keys are case-insensitive, like GitHub's owner and repository names. */
  public static String normalize(String scopeKey) {
    return scopeKey.toLowerCase(Locale.ROOT);
  }
}
