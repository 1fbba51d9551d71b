package io.oneshot.action;

import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.RunnerLaunchers;
import io.oneshot.spi.SettingDefinition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every input of the action and option of the CLI: the common inputs below, then each backend's
 * settings as its provider declares them ({@link RunnerLauncherProvider#settings()}), found through
 * the {@link java.util.ServiceLoader}. A setting several backends read is one input. {@code action.yml},
 * the CLI and the README are generated from or checked against this list. Immutable once built;
 * building it loads the providers (no network).
 */
public final class ActionInputs {
  private static final Set<Mode> ALL_MODES = EnumSet.allOf(Mode.class);
  private static final Set<Mode> START = EnumSet.of(Mode.START);

  /** The inputs every backend shares, in {@code action.yml} order. */
  public static final List<InputDefinition> COMMON = List.of(
      common("mode", "start", ALL_MODES, "start, stop, sweep or status"),
      common("backend", "ecs", ALL_MODES, "ecs, cloudrun or aci"),
      secret("token", "GitHub token that may manage self-hosted runners (PAT or installation token)"),
      common("app-id", null, ALL_MODES, "GitHub App id, instead of token"),
      secret("app-private-key", "GitHub App private key (PEM, PKCS#1 or PKCS#8)"),
      common("app-installation-id", null, ALL_MODES, "GitHub App installation id; found from context when empty"),
      common("github-api-url", null, ALL_MODES, "GitHub API URL; $GITHUB_API_URL, else https://api.github.com"),
      common("context", null, ALL_MODES, "owner/repo for a repository runner, owner for an organization runner;"
          + " $GITHUB_REPOSITORY when empty"),
      common("enterprise", null, ALL_MODES, "enterprise slug, for enterprise runners (token only)"),
      common("runner-group", "Default", START, "runner group name"),
      common("name", "oneshot", ALL_MODES, "runner name prefix and label"),
      common("labels", null, START, "more runner labels, comma or newline separated"),
      common("count", "1", START, "how many runners to start (1 to 100)"),
      common("wait", "true", START, "wait until every runner is online"),
      common("timeout", "5m", START, "how long to wait for the runners to be online (10s to 6h: 90s, 5m, 1h30m, PT5M)"),
      common("idle-timeout", "10m", START, "a runner with no job by then exits (30s to 24h, at most max-lifetime)"),
      common("max-lifetime", "6h", START, "a runner's container lives at most this long (5m to 168h)"),
      common("registration", "jit", START, "jit (single-use config, default) or token (the image registers itself)"),
      common("runner-id", null, EnumSet.of(Mode.STOP, Mode.STATUS), "stop and status: the runner_id output of the"
          + " start step; in a workflow, stop without it stops every batch this workflow run started"),
      common("force", "false", EnumSet.of(Mode.STOP), "stop: also stop runners that are running a job"),
      common("workdir", "_work", START, "the runner's work folder"),
      common("run-binding", "true", START, "in a workflow, the runners refuse jobs from other repositories and"
          + " other workflow runs (their job-started hook fails such a job before any step)"),
      common("debug", "false", ALL_MODES, "verbose progress (also on when RUNNER_DEBUG=1); never secrets"));

  private final List<InputDefinition> all;
  private final Set<String> backendIds;

  private ActionInputs(List<InputDefinition> all, Set<String> backendIds) {
    this.all = List.copyOf(all);
    this.backendIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(backendIds));
  }

  private static InputDefinition common(String name, String defaultValue, Set<Mode> modes, String description) {
    return new InputDefinition(name, Optional.ofNullable(defaultValue), false, Set.of(), modes, description);
  }

  private static InputDefinition secret(String name, String description) {
    return new InputDefinition(name, Optional.empty(), true, Set.of(), ALL_MODES, description);
  }

  /** The inputs of the backends on that class loader's class path. */
  public static ActionInputs load(ClassLoader classLoader) {
    return of(RunnerLaunchers.all(classLoader).values());
  }

  /** The inputs of these backends' providers. */
  public static ActionInputs of(Iterable<RunnerLauncherProvider> providers) {
    Map<String, List<InputDefinition>> byName = new LinkedHashMap<>();
    Set<String> ids = new TreeSet<>();
    for (RunnerLauncherProvider provider : providers) {
      ids.add(provider.id());
      for (SettingDefinition setting : provider.settings()) {
        if (setting.isInput()) {
          byName.computeIfAbsent(setting.name(), name -> new ArrayList<>()).add(InputDefinition.of(provider.id(), setting));
        }
      }
    }
    List<InputDefinition> all = new ArrayList<>(COMMON);
    Set<String> common = COMMON.stream().map(InputDefinition::name).collect(Collectors.toSet());
    byName.forEach((name, declarations) -> {
      if (common.contains(name)) {
        throw new IllegalStateException("backend setting '" + name + "' has the name of a common input");
      }
      all.add(merge(declarations));
    });
    return new ActionInputs(all, ids);
  }

  /** One input for a setting several backends declare: the union of backends and modes, both descriptions. */
  private static InputDefinition merge(List<InputDefinition> declarations) {
    InputDefinition first = declarations.get(0);
    Set<String> backends = new TreeSet<>();
    Set<Mode> modes = EnumSet.noneOf(Mode.class);
    Set<Optional<String>> defaults = new java.util.HashSet<>();
    boolean secret = false;
    for (InputDefinition declaration : declarations) {
      backends.addAll(declaration.backends());
      modes.addAll(declaration.modes());
      defaults.add(declaration.defaultValue());
      secret |= declaration.secret();
    }
    boolean oneDefault = defaults.size() == 1;
    String description = declarations.stream()
        .map(d -> d.backends().iterator().next() + ": " + d.description()
            + (oneDefault ? "" : d.defaultValue().map(v -> " (default: " + v + ")").orElse("")))
        .collect(Collectors.joining("; "));
    return new InputDefinition(first.name(), oneDefault ? first.defaultValue() : Optional.empty(), secret, backends,
        modes, description);
  }

  /** Every input: the common ones in order, then the backends' settings. */
  public List<InputDefinition> all() {
    return all;
  }

  /** The ids of the backends these inputs came from, sorted. */
  public Set<String> backendIds() {
    return backendIds;
  }

  /** The input of that name. */
  public Optional<InputDefinition> find(String name) {
    return all.stream().filter(input -> input.name().equals(name)).findFirst();
  }

  /** The inputs that backend reads in that mode, the common ones excluded. */
  public List<InputDefinition> backendInputs(String backend, Mode mode) {
    return all.stream().filter(input -> input.backends().contains(backend) && input.readIn(mode)).toList();
  }
}
