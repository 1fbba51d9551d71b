package io.oneshot.action;

import io.oneshot.core.FleetRequest;
import io.oneshot.core.RegistrationMode;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OwnershipTags;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns inputs (action inputs or CLI options, by input name) into an {@link ActionRequest}, checking
 * every one before anything is called: all problems are reported together, one line each naming the
 * input, what is wrong and the accepted form, never echoing a secret. Stateless.
 */
public final class RequestParser {
  private static final Set<String> BACKENDS = Set.of("ecs", "cloudrun", "aci");
  /** Inputs listed under one backend in action.yml that other backends read too. */
  private static final Map<String, Set<String>> SHARED = Map.of(
      "region", Set.of("ecs", "cloudrun"), "cpu", Set.of("ecs", "aci"), "memory", Set.of("ecs", "aci"));
  private static final Pattern RUNNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,29}-[a-z0-9]{16}");

  private RequestParser() {}

  /**
   * Parses and checks the inputs.
   *
   * @param inputs input name to value (blank values already dropped)
   * @param environment the process environment ({@code GITHUB_API_URL}, {@code GITHUB_REPOSITORY}, {@code RUNNER_DEBUG})
   * @throws InvalidSettingsException with every problem found
   */
  public static ActionRequest parse(Map<String, String> inputs, Map<String, String> environment) {
    Values values = new Values(inputs);
    List<String> problems = new ArrayList<>();

    Mode mode = values.choice("mode", "start", problems, "start, stop or sweep", "start", "stop", "sweep", "status")
        .map(m -> Mode.valueOf(m.toUpperCase(Locale.ROOT))).orElse(Mode.START);
    String backend = values.get("backend", "ecs").toLowerCase(Locale.ROOT);
    if (!BACKENDS.contains(backend)) {
      problems.add("backend '" + backend + "' is not supported; use ecs, cloudrun or aci");
    }
    Optional<GitHubScope> scope = scope(values, environment, problems);
    Optional<GitHubCredentials> credentials = credentials(values, problems);
    if (scope.filter(GitHubScope.Enterprise.class::isInstance).isPresent() && values.optional("app-id").isPresent()) {
      problems.add("app-id cannot be used with enterprise: GitHub Apps cannot manage enterprise runners; use token"
          + " with a classic token that has manage_runners:enterprise");
    }
    URI apiUrl = apiUrl(values, environment, problems);
    boolean debug = values.bool("debug", false, problems) || "1".equals(environment.get("RUNNER_DEBUG"));
    String prefix = values.get("name", "oneshot");
    FleetRequest.prefixProblem(prefix).ifPresent(problems::add);

    Optional<FleetRequest> start = Optional.empty();
    Optional<String> runnerId = Optional.empty();
    boolean force = values.bool("force", false, problems);
    String owner = scope.map(s -> OwnershipTags.safeValue(s.apiPath())).orElse("unknown");
    if (mode == Mode.START) {
      start = fleetRequest(values, owner, prefix, problems);
    } else if (mode == Mode.STOP || mode == Mode.STATUS) {
      runnerId = values.optional("runner-id");
      if (runnerId.isEmpty()) {
        problems.add("runner-id is required in " + mode.name().toLowerCase(Locale.ROOT) + " mode; pass the"
            + " runner_id output of the start step (<name>-<16 random letters and digits>)");
      } else if (!RUNNER_ID.matcher(runnerId.get()).matches()) {
        problems.add("runner-id '" + runnerId.get() + "' is not a oneshot runner id; pass the runner_id output of"
            + " the start step (<name>-<16 random letters and digits>)");
      }
    }
    Map<String, String> backendSettings = backendSettings(inputs, backend, prefix);
    if (!problems.isEmpty() || scope.isEmpty() || credentials.isEmpty()) {
      throw new InvalidSettingsException(problems.isEmpty() ? List.of("context: no GitHub scope") : problems);
    }
    return new ActionRequest(mode, backend, backendSettings, new GitHubSettings(scope.get(), credentials.get(), apiUrl),
        owner, prefix, start, runnerId, force, debug);
  }

  private static Optional<GitHubScope> scope(Values values, Map<String, String> environment, List<String> problems) {
    Optional<String> enterprise = values.optional("enterprise");
    try {
      if (enterprise.isPresent()) {
        return Optional.of(new GitHubScope.Enterprise(enterprise.get()));
      }
      Optional<String> context = values.optional("context").or(() -> Optional.ofNullable(environment.get("GITHUB_REPOSITORY")));
      if (context.isEmpty()) {
        problems.add("context is empty and GITHUB_REPOSITORY is not set; use owner/repo for a repository runner or"
            + " owner for an organization runner");
        return Optional.empty();
      }
      return Optional.of(GitHubScope.parse(context.get()));
    } catch (InvalidSettingsException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  private static Optional<GitHubCredentials> credentials(Values values, List<String> problems) {
    Optional<String> token = values.optional("token");
    Optional<String> appId = values.optional("app-id");
    Optional<String> key = values.optional("app-private-key");
    Optional<String> installation = values.optional("app-installation-id");
    try {
      if (token.isPresent() && (appId.isPresent() || key.isPresent())) {
        problems.add("token and app-id/app-private-key exclude each other; give a token, or a GitHub App's app-id"
            + " and app-private-key");
        return Optional.empty();
      }
      if (token.isPresent()) {
        return Optional.of(GitHubCredentials.token(token.get()));
      }
      if (appId.isEmpty() && key.isEmpty()) {
        problems.add("token is empty; give a GitHub token that may manage self-hosted runners, or a GitHub App's"
            + " app-id and app-private-key");
        return Optional.empty();
      }
      if (appId.isEmpty() || key.isEmpty()) {
        problems.add(appId.isEmpty() ? "app-id is empty but app-private-key is set; give both for a GitHub App"
            : "app-private-key is empty but app-id is set; give both for a GitHub App");
        return Optional.empty();
      }
      long id = positiveNumber("app-id", appId.get(), problems);
      OptionalLong installationId = installation.isPresent()
          ? OptionalLong.of(positiveNumber("app-installation-id", installation.get(), problems)) : OptionalLong.empty();
      if (id <= 0 || (installationId.isPresent() && installationId.getAsLong() <= 0)) {
        return Optional.empty();
      }
      return Optional.of(GitHubCredentials.app(id, key.get(), installationId));
    } catch (InvalidSettingsException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  private static URI apiUrl(Values values, Map<String, String> environment, List<String> problems) {
    String text = values.optional("github-api-url").or(() -> Optional.ofNullable(environment.get("GITHUB_API_URL")))
        .orElse(GitHubClient.DEFAULT_API_URL.toString());
    try {
      URI uri = URI.create(text);
      GitHubClient.builder().apiUrl(uri);
      return uri;
    } catch (IllegalArgumentException e) {
      problems.add("github-api-url '" + text + "' is not a URL; use https://api.github.com or https://HOST/api/v3");
      return GitHubClient.DEFAULT_API_URL;
    }
  }

  private static Optional<FleetRequest> fleetRequest(Values values, String owner, String prefix, List<String> problems) {
    FleetRequest.Builder builder = FleetRequest.builder(owner).prefix(prefix)
        .runnerGroup(values.get("runner-group", "Default"))
        .labels(values.optional("labels").map(RequestParser::splitLabels).orElse(List.of()))
        .workFolder(values.get("workdir", "_work"))
        .waitForOnline(values.bool("wait", true, problems));
    values.number("count", 1, problems).ifPresent(builder::count);
    values.duration("timeout", "5m", problems).ifPresent(builder::onlineTimeout);
    values.duration("idle-timeout", "10m", problems).ifPresent(builder::idleTimeout);
    values.duration("max-lifetime", "6h", problems).ifPresent(builder::maxLifetime);
    values.choice("registration", "jit", problems, "jit or token", "jit", "token")
        .ifPresent(r -> builder.registration(RegistrationMode.valueOf(r.toUpperCase(Locale.ROOT))));
    try {
      return Optional.of(builder.build());
    } catch (InvalidSettingsException e) {
      e.problems().stream().filter(p -> !problems.contains(p) && !p.startsWith("name '")).forEach(problems::add);
      return Optional.empty();
    }
  }

  /** Labels separated by commas or newlines; spaces around each are trimmed, inner spaces are kept (and rejected). */
  static List<String> splitLabels(String text) {
    return Arrays.stream(text.split("[,\\n]")).map(String::trim).filter(label -> !label.isEmpty()).toList();
  }

  private static Map<String, String> backendSettings(Map<String, String> inputs, String backend, String prefix) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (InputDefinition input : ActionInputs.ALL) {
      boolean forThisBackend = input.backend().map(backend::equals).orElse(false)
          || SHARED.getOrDefault(input.name(), Set.of()).contains(backend);
      if (forThisBackend && inputs.containsKey(input.name())) {
        settings.put(input.name(), inputs.get(input.name()));
      }
    }
    settings.put("name", prefix);
    return settings;
  }

  private static long positiveNumber(String input, String text, List<String> problems) {
    try {
      long value = Long.parseLong(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(input + " '" + text + "' is not a positive whole number; use the numeric id from GitHub");
    return -1;
  }

  /** Input values with defaults and typed readers that record problems instead of throwing. */
  private static final class Values {
    private final Map<String, String> inputs;

    Values(Map<String, String> inputs) {
      this.inputs = inputs;
    }

    Optional<String> optional(String name) {
      return Optional.ofNullable(inputs.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    String get(String name, String fallback) {
      return optional(name).orElse(fallback);
    }

    boolean bool(String name, boolean fallback, List<String> problems) {
      Optional<String> value = optional(name).map(v -> v.toLowerCase(Locale.ROOT));
      if (value.isEmpty()) {
        return fallback;
      }
      if (!value.get().equals("true") && !value.get().equals("false")) {
        problems.add(name + " '" + value.get() + "' is not a boolean; use true or false");
        return fallback;
      }
      return value.get().equals("true");
    }

    Optional<Integer> number(String name, int fallback, List<String> problems) {
      String text = get(name, Integer.toString(fallback));
      try {
        return Optional.of(Integer.parseInt(text.trim()));
      } catch (NumberFormatException e) {
        problems.add(name + " '" + text + "' is not a whole number; use a number such as 3");
        return Optional.empty();
      }
    }

    Optional<Duration> duration(String name, String fallback, List<String> problems) {
      String text = get(name, fallback);
      Optional<Duration> duration = DurationParser.parse(text);
      if (duration.isEmpty()) {
        problems.add(name + " '" + text + "' is not " + DurationParser.FORMS);
      }
      return duration;
    }

    Optional<String> choice(String name, String fallback, List<String> problems, String accepted, String... choices) {
      String value = get(name, fallback).toLowerCase(Locale.ROOT);
      if (!Arrays.asList(choices).contains(value)) {
        problems.add(name + " '" + value + "' is not valid; use " + accepted);
        return Optional.empty();
      }
      return Optional.of(value);
    }
  }
}
