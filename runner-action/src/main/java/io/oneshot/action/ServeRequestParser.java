package io.oneshot.action;

import io.oneshot.core.FleetRequest;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.pool.PoolSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.SettingProblems;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks the options of {@code oneshot serve}: GitHub's (as start reads them), the backend's
 * (every setting a start reads), and the pool's own ({@link #OPTIONS}). Every problem names its option
 * and is reported at once, before any call. Stateless.
 */
public final class ServeRequestParser {
  /** The common inputs serve reads, as start spells them. */
  public static final List<String> COMMON = List.of("backend", "app-id", "app-installation-id", "github-api-url",
      "context", "runner-group", "labels", "idle-timeout", "max-lifetime");

  /** An option only serve has. */
  public record Option(String name, Optional<String> defaultValue, String description) {}

  /** Serve's own options, in help order. */
  public static final List<Option> OPTIONS = List.of(
      new Option("scale-set", Optional.empty(), "the scale set's name: jobs use it in runs-on (required)"),
      new Option("min-runners", Optional.of("0"), "runners kept even without jobs"),
      new Option("max-runners", Optional.of("10"), "never more runners than this (1 to 1000)"),
      new Option("boot-timeout", Optional.of("5m"), "a runner not registered by then is stopped and removed"
          + " (1m to 1h)"),
      new Option("metrics-port", Optional.of("9090"), "port of /healthz and /metrics; 0 turns them off"),
      new Option("log-format", Optional.of("text"), "text or json (one JSON object per line)"));

  private ServeRequestParser() {}

  /**
   * Parses and checks the options.
   *
   * @param inputs option name to value (secrets from the environment already added)
   * @param environment the process environment ({@code GITHUB_API_URL}, {@code GITHUB_REPOSITORY})
   * @throws InvalidSettingsException with every problem, each naming its option
   */
  public static ServeRequest parse(Map<String, String> inputs, Map<String, String> environment,
      ActionInputs definitions) {
    RequestParser.Values values = new RequestParser.Values(inputs);
    SettingProblems problems = new SettingProblems();
    String backend = values.get("backend", "ecs").toLowerCase(Locale.ROOT);
    if (!definitions.backendIds().contains(backend)) {
      problems.add("backend", "backend " + SecretShapes.quote(backend) + " is not supported; use "
          + String.join(", ", definitions.backendIds()));
    }
    Optional<GitHubScope> scope = RequestParser.scope(values, environment, problems);
    if (scope.filter(GitHubScope.Enterprise.class::isInstance).isPresent()) {
      problems.add("context", "serve takes a repository (owner/repo) or an organization (owner) context");
    }
    Optional<GitHubCredentials> credentials = RequestParser.credentials(values, problems);
    URI apiUrl = RequestParser.apiUrl(values, environment, problems);
    Optional<PoolSettings> pool = pool(values, problems);
    int metricsPort = values.number("metrics-port", 9090, problems).orElse(0);
    if (metricsPort < 0 || metricsPort > 65535) {
      problems.add("metrics-port", "metrics-port " + metricsPort + " is not a port; use 1 to 65535, or 0 for none");
    }
    boolean json = values.choice("log-format", "text", problems, "text or json", "text", "json")
        .map("json"::equals).orElse(false);
    Map<String, String> backendSettings = RequestParser.backendSettings(inputs, definitions, backend, Mode.START,
        "oneshot");
    problems.throwIfAny();
    return new ServeRequest(backend, backendSettings, new GitHubSettings(scope.orElseThrow(),
        credentials.orElseThrow(), apiUrl), pool.orElseThrow(), metricsPort, json);
  }

  private static Optional<PoolSettings> pool(RequestParser.Values values, SettingProblems problems) {
    Optional<String> name = values.optional("scale-set");
    if (name.isEmpty()) {
      problems.add("scale-set", "scale-set is required; give the scale set's name (the label jobs use in runs-on)");
      return Optional.empty();
    }
    PoolSettings.Builder builder = PoolSettings.builder(name.get())
        .runnerGroup(values.get("runner-group", "Default"))
        .labels(values.optional("labels").map(RequestParser::splitLabels).orElse(List.of()));
    values.number("min-runners", 0, problems).ifPresent(builder::minRunners);
    values.number("max-runners", 10, problems).ifPresent(builder::maxRunners);
    values.duration("boot-timeout", "5m", PoolSettings.MIN_BOOT_TIMEOUT, PoolSettings.MAX_BOOT_TIMEOUT, problems)
        .ifPresent(builder::bootTimeout);
    values.duration("max-lifetime", "6h", FleetRequest.MIN_MAX_LIFETIME, FleetRequest.MAX_MAX_LIFETIME, problems)
        .ifPresent(builder::maxLifetime);
    if (values.optional("idle-timeout").isPresent()) {
      values.duration("idle-timeout", "10m", FleetRequest.MIN_IDLE_TIMEOUT, PoolSettings.MAX_IDLE_TIMEOUT, problems)
          .ifPresent(builder::idleTimeout);
    }
    return RequestParser.built(builder::build, problems);
  }
}
