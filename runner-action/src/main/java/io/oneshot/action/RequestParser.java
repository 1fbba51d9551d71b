package io.oneshot.action;

import io.oneshot.core.Durations;
import io.oneshot.core.FleetRequest;
import io.oneshot.core.RegistrationMode;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.SettingProblem;
import io.oneshot.spi.SettingProblems;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Turns inputs (action inputs or CLI options, by input name) into an {@link ActionRequest}, checking
 * every one the mode reads before anything is called: all problems are reported together, each tied
 * to its input, one line naming the input, what is wrong and the accepted form, never echoing a value
 * that looks like a secret. Inputs the mode does not read are ignored (a stop step may pass the start
 * step's inputs). Stateless.
 */
public final class RequestParser {
  private static final Pattern RUNNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,29}-[a-z0-9]{16}");
  /** The owner a start request carries until the fleet gives it the real one ({@link FleetRequest#withOwner}). */
  static final String UNASSIGNED_OWNER = "unassigned";
  private static final String SEAL_PUBLIC_KEY = "seal-public-key";

  private RequestParser() {}

  /**
   * Parses and checks the inputs.
   *
   * @param inputs input name to value (blank values already dropped)
   * @param environment the process environment ({@code GITHUB_API_URL}, {@code GITHUB_REPOSITORY},
   *     {@code GITHUB_RUN_ID}, {@code RUNNER_DEBUG})
   * @param definitions the inputs there are, with the backends on the class path
   * @throws InvalidSettingsException with every problem found
   */
  public static ActionRequest parse(Map<String, String> inputs, Map<String, String> environment,
      ActionInputs definitions) {
    Values values = new Values(inputs);
    SettingProblems problems = new SettingProblems();

    Mode mode = values.choice("mode", "start", problems, "start, stop, sweep or status", "start", "stop", "sweep",
        "status").map(m -> Mode.valueOf(m.toUpperCase(Locale.ROOT))).orElse(Mode.START);
    String backend = values.get("backend", "ecs").toLowerCase(Locale.ROOT);
    if (!definitions.backendIds().contains(backend)) {
      problems.add("backend", "backend " + SecretShapes.quote(backend) + " is not supported; use "
          + String.join(", ", definitions.backendIds()));
    }
    Optional<GitHubScope> scope = scope(values, environment, problems);
    Optional<GitHubCredentials> credentials = credentials(values, problems);
    if (scope.filter(GitHubScope.Enterprise.class::isInstance).isPresent() && values.optional("app-id").isPresent()) {
      problems.add("app-id", "app-id cannot be used with enterprise: GitHub Apps cannot manage enterprise runners;"
          + " use token with a classic token that has manage_runners:enterprise");
    }
    URI apiUrl = apiUrl(values, environment, problems);
    boolean debug = values.bool("debug", false, problems) || "1".equals(environment.get("RUNNER_DEBUG"));
    String prefix = values.get("name", "oneshot");
    FleetRequest.prefixProblem(prefix).ifPresent(problem -> problems.add("name", problem));
    Optional<String> workflowRun = workflowRun(environment, problems);
    // The owner depends on the launcher's scope too (cluster, job, resource group): the fleet derives it once the
    // launcher exists (RunnerFleet.owner()); the request is checked here with a stand-in and re-owned then.
    String owner = UNASSIGNED_OWNER;

    Optional<FleetRequest> start = Optional.empty();
    Optional<String> runnerId = Optional.empty();
    boolean force = false;
    if (mode == Mode.START) {
      Optional<String> repository = Optional.ofNullable(environment.get("GITHUB_REPOSITORY")).filter(r -> !r.isBlank());
      start = fleetRequest(values, owner, prefix, workflowRun, repository, problems);
      refuseUnsealedTokens(values, definitions, backend, problems);
    } else if (mode == Mode.STOP || mode == Mode.STATUS) {
      force = mode == Mode.STOP && values.bool("force", false, problems);
      runnerId = values.optional("runner-id");
      String modeName = mode.name().toLowerCase(Locale.ROOT);
      if (runnerId.isEmpty() && (mode == Mode.STATUS || workflowRun.isEmpty())) {
        problems.add("runner-id", "runner-id is required in " + modeName + " mode"
            + (mode == Mode.STOP ? " outside a workflow run" : "") + "; pass the runner_id output of the start step"
            + " (<name>-<16 random letters and digits>)");
      } else if (runnerId.isPresent() && !RUNNER_ID.matcher(runnerId.get()).matches()) {
        problems.add("runner-id", "runner-id " + SecretShapes.quote(runnerId.get()) + " is not a oneshot runner id;"
            + " pass the runner_id output of the start step (<name>-<16 random letters and digits>)");
      }
    }
    Map<String, String> backendSettings = backendSettings(inputs, definitions, backend, mode, prefix);
    if (problems.isEmpty() && (scope.isEmpty() || credentials.isEmpty())) {
      problems.add("context", "context: no GitHub scope");
    }
    problems.throwIfAny();
    return new ActionRequest(mode, backend, backendSettings, new GitHubSettings(scope.get(), credentials.get(), apiUrl),
        prefix, start, runnerId, workflowRun, force, debug);
  }

  /** The workflow run this step belongs to ({@code GITHUB_RUN_ID}), when it runs in one. */
  private static Optional<String> workflowRun(Map<String, String> environment, SettingProblems problems) {
    Optional<String> run = Optional.ofNullable(environment.get("GITHUB_RUN_ID")).map(String::trim)
        .filter(id -> !id.isEmpty());
    if (run.isPresent() && !FleetRequest.WORKFLOW_RUN.matcher(run.get()).matches()) {
      problems.add("GITHUB_RUN_ID", "GITHUB_RUN_ID " + SecretShapes.quote(run.get()) + " is not a workflow run id;"
          + " GitHub sets it to digits: leave it unset outside a workflow");
      return Optional.empty();
    }
    return run;
  }

  static Optional<GitHubScope> scope(Values values, Map<String, String> environment,
      SettingProblems problems) {
    Optional<String> enterprise = values.optional("enterprise");
    Optional<String> context = values.optional("context");
    if (enterprise.isPresent() && context.isPresent()) {
      problems.add("enterprise", "enterprise and context exclude each other: enterprise runners belong to the"
          + " enterprise, not to " + SecretShapes.quote(context.get()) + "; give one of them");
      return Optional.empty();
    }
    String input = enterprise.isPresent() ? "enterprise" : "context";
    Optional<String> value = enterprise.or(() -> context)
        .or(() -> Optional.ofNullable(environment.get("GITHUB_REPOSITORY")).filter(v -> !v.isBlank()));
    if (value.isEmpty()) {
      problems.add("context", "context is empty and GITHUB_REPOSITORY is not set; use owner/repo for a repository"
          + " runner or owner for an organization runner");
      return Optional.empty();
    }
    if (SecretShapes.looksSecret(value.get())) {
      problems.add(input, input + " " + SecretShapes.quote(value.get()) + " is not a GitHub "
          + (input.equals("context") ? "repository or organization; use owner/repo or owner" : "enterprise slug")
          + "; secrets go in token or app-private-key");
      return Optional.empty();
    }
    try {
      return Optional.of(enterprise.isPresent() ? new GitHubScope.Enterprise(value.get())
          : GitHubScope.parse(value.get()));
    } catch (InvalidSettingsException e) {
      e.problems().forEach(problem -> problems.add(input, problem));
      return Optional.empty();
    }
  }

  static Optional<GitHubCredentials> credentials(Values values, SettingProblems problems) {
    Optional<String> token = values.optional("token");
    Optional<String> appId = values.optional("app-id");
    Optional<String> key = values.optional("app-private-key");
    Optional<String> installation = values.optional("app-installation-id");
    if (token.isPresent() && (appId.isPresent() || key.isPresent())) {
      problems.add("token", "token and app-id/app-private-key exclude each other; give a token, or a GitHub App's"
          + " app-id and app-private-key");
      return Optional.empty();
    }
    if (token.isPresent() && installation.isPresent()) {
      problems.add("app-installation-id", "app-installation-id and token exclude each other: an installation id"
          + " belongs to a GitHub App; drop app-installation-id, or give app-id and app-private-key instead of token");
      return Optional.empty();
    }
    try {
      if (token.isPresent()) {
        return Optional.of(GitHubCredentials.token(token.get()));
      }
    } catch (InvalidSettingsException e) {
      e.problems().forEach(problem -> problems.add("token", problem));
      return Optional.empty();
    }
    if (appId.isEmpty() && key.isEmpty()) {
      problems.add("token", "token is empty; give a GitHub token that may manage self-hosted runners, or a GitHub"
          + " App's app-id and app-private-key");
      return Optional.empty();
    }
    if (appId.isEmpty() || key.isEmpty()) {
      problems.add(appId.isEmpty() ? "app-id" : "app-private-key", appId.isEmpty()
          ? "app-id is empty but app-private-key is set; give both for a GitHub App"
          : "app-private-key is empty but app-id is set; give both for a GitHub App");
      return Optional.empty();
    }
    long id = positiveNumber("app-id", appId.get(), problems);
    OptionalLong installationId = installation.isPresent()
        ? OptionalLong.of(positiveNumber("app-installation-id", installation.get(), problems)) : OptionalLong.empty();
    if (id <= 0 || (installationId.isPresent() && installationId.getAsLong() <= 0)) {
      return Optional.empty();
    }
    try {
      return Optional.of(GitHubCredentials.app(id, key.get(), installationId));
    } catch (InvalidSettingsException e) {
      e.problems().forEach(problem -> problems.add("app-private-key", problem));
      return Optional.empty();
    }
  }

  static URI apiUrl(Values values, Map<String, String> environment, SettingProblems problems) {
    String text = values.optional("github-api-url").or(() -> Optional.ofNullable(environment.get("GITHUB_API_URL")))
        .orElse(GitHubClient.DEFAULT_API_URL.toString());
    try {
      URI uri = URI.create(text);
      GitHubClient.builder().apiUrl(uri);
      return uri;
    } catch (InvalidSettingsException e) {
      e.problems().forEach(problem -> problems.add("github-api-url", problem));
      return GitHubClient.DEFAULT_API_URL;
    } catch (IllegalArgumentException e) {
      problems.add("github-api-url", "github-api-url " + SecretShapes.quote(text) + " is not a URL; use"
          + " https://api.github.com or https://HOST/api/v3");
      return GitHubClient.DEFAULT_API_URL;
    }
  }

  /**
   * A registration token is valid an hour for the whole scope: on a backend that can seal it (it declares
   * {@code seal-public-key}, as ECS and Cloud Run do, whose control planes return a container's environment)
   * token mode is refused unless sealed.
   */
  private static void refuseUnsealedTokens(Values values, ActionInputs definitions, String backend,
      SettingProblems problems) {
    boolean token = values.get("registration", "jit").equalsIgnoreCase("token");
    boolean sealable = definitions.backendInputs(backend, Mode.START).stream()
        .anyMatch(input -> input.name().equals(SEAL_PUBLIC_KEY));
    if (token && sealable && values.optional(SEAL_PUBLIC_KEY).isEmpty()) {
      problems.add("registration", "registration: token on " + backend + " needs seal-public-key: the registration"
          + " token (valid an hour, for the whole scope) would be readable from the control plane while the"
          + " container boots; give seal-public-key (docs/sealed-jit.md) or use registration: jit");
    }
  }

  private static Optional<FleetRequest> fleetRequest(Values values, String owner, String prefix,
      Optional<String> workflowRun, Optional<String> repository, SettingProblems problems) {
    FleetRequest.Builder builder = FleetRequest.builder(owner).prefix(prefix)
        .runnerGroup(values.get("runner-group", "Default"))
        .labels(values.optional("labels").map(RequestParser::splitLabels).orElse(List.of()))
        .workFolder(values.get("workdir", "_work"))
        .waitForOnline(values.bool("wait", true, problems));
    workflowRun.ifPresent(builder::workflowRun);
    // In a workflow the batch's label reaches its jobs only after this step: a runner busy before then is not ours.
    builder.replaceTakenRunners(workflowRun.isPresent());
    // Run binding: the runners' job-started hook refuses a job of another repository or workflow run.
    if (values.bool("run-binding", true, problems) && workflowRun.isPresent() && repository.isPresent()) {
      builder.extraEnv(Map.of(RunnerEnvironment.BOUND_REPOSITORY, repository.get(), RunnerEnvironment.BOUND_RUN_ID,
          workflowRun.get()));
    }
    values.number("count", 1, problems).ifPresent(builder::count);
    values.duration("timeout", "5m", FleetRequest.MIN_ONLINE_TIMEOUT, FleetRequest.MAX_ONLINE_TIMEOUT, problems)
        .ifPresent(builder::onlineTimeout);
    values.duration("idle-timeout", "10m", FleetRequest.MIN_IDLE_TIMEOUT, FleetRequest.MAX_IDLE_TIMEOUT, problems)
        .ifPresent(builder::idleTimeout);
    values.duration("max-lifetime", "6h", FleetRequest.MIN_MAX_LIFETIME, FleetRequest.MAX_MAX_LIFETIME, problems)
        .ifPresent(builder::maxLifetime);
    values.choice("registration", "jit", problems, "jit or token", "jit", "token")
        .ifPresent(r -> builder.registration(RegistrationMode.valueOf(r.toUpperCase(Locale.ROOT))));
    return built(builder::build, problems);
  }

  /**
   * What {@code build} makes, or its problems added to {@code problems} (and empty): a builder's own check after
   * the inputs were read. A problem about an input already reported is left out: a value that did not parse was
   * left at its default, and a range problem would be about the default.
   */
  static <T> Optional<T> built(java.util.function.Supplier<T> build, SettingProblems problems) {
    try {
      return Optional.of(build.get());
    } catch (InvalidSettingsException e) {
      for (SettingProblem problem : e.details()) {
        if (!problems.mentions(problem.input())) {
          problems.add(problem.input(), problem.message());
        }
      }
      return Optional.empty();
    }
  }

  /** Labels separated by commas or newlines; spaces around each are trimmed, inner spaces are kept (and rejected). */
  static List<String> splitLabels(String text) {
    return Arrays.stream(text.split("[,\\n]")).map(String::trim).filter(label -> !label.isEmpty()).toList();
  }

  /** The backend's inputs this mode reads; ECS's task definition defaults to {@code name} when starting. */
  static Map<String, String> backendSettings(Map<String, String> inputs, ActionInputs definitions,
      String backend, Mode mode, String prefix) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (InputDefinition input : definitions.backendInputs(backend, mode)) {
      if (inputs.containsKey(input.name())) {
        settings.put(input.name(), inputs.get(input.name()));
      }
    }
    settings.put("name", prefix);
    return settings;
  }

  private static long positiveNumber(String input, String text, SettingProblems problems) {
    try {
      long value = Long.parseLong(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(input, input + " " + SecretShapes.quote(text) + " is not a positive whole number; use the numeric"
        + " id from GitHub" + (SecretShapes.looksSecret(text) ? " (the private key goes in app-private-key)" : ""));
    return -1;
  }

  /** Input values with defaults and typed readers that record problems instead of throwing. */
  static final class Values {
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

    /** true or false; 1 and 0 too, as RUNNER_DEBUG=1 and shell habits write them. */
    boolean bool(String name, boolean fallback, SettingProblems problems) {
      Optional<String> value = optional(name).map(v -> v.toLowerCase(Locale.ROOT));
      if (value.isEmpty()) {
        return fallback;
      }
      switch (value.get()) {
        case "true", "1":
          return true;
        case "false", "0":
          return false;
        default:
          problems.add(name, name + " " + SecretShapes.quote(value.get()) + " is not a boolean; use true or false");
          return fallback;
      }
    }

    Optional<Integer> number(String name, int fallback, SettingProblems problems) {
      String text = get(name, Integer.toString(fallback));
      try {
        return Optional.of(Integer.parseInt(text.trim()));
      } catch (NumberFormatException e) {
        problems.add(name, name + " " + SecretShapes.quote(text) + " is not a whole number; use a number such as 3");
        return Optional.empty();
      }
    }

    /** The duration, when it parses and lies in the range; the problem quotes the text as given. */
    Optional<Duration> duration(String name, String fallback, Duration min, Duration max, SettingProblems problems) {
      String text = get(name, fallback);
      Optional<Duration> duration = DurationParser.parse(text);
      if (duration.isEmpty()) {
        problems.add(name, name + " " + SecretShapes.quote(text) + " is not " + DurationParser.FORMS + " ("
            + Durations.format(min) + " to " + Durations.format(max) + ")");
        return duration;
      }
      Optional<String> outOfRange = FleetRequest.durationRangeProblem(name, SecretShapes.quote(text), duration.get(),
          min, max);
      if (outOfRange.isPresent()) {
        problems.add(name, outOfRange.get());
        return Optional.empty();
      }
      return duration;
    }

    Optional<String> choice(String name, String fallback, SettingProblems problems, String accepted,
        String... choices) {
      String value = get(name, fallback).toLowerCase(Locale.ROOT);
      if (!Arrays.asList(choices).contains(value)) {
        problems.add(name, name + " " + SecretShapes.quote(value) + " is not valid; use " + accepted);
        return Optional.empty();
      }
      return Optional.of(value);
    }
  }
}
