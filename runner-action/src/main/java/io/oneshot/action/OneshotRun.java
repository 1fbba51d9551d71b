package io.oneshot.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetListener;
import io.oneshot.core.FleetOwner;
import io.oneshot.core.FleetOptions;
import io.oneshot.core.FleetPhase;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.RunnerOutcome;
import io.oneshot.core.StartCancelledException;
import io.oneshot.core.StopAction;
import io.oneshot.core.StopReport;
import io.oneshot.core.StoppedRunner;
import io.oneshot.core.SweepActionKind;
import io.oneshot.core.SweepFinding;
import io.oneshot.core.SweepReport;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.Runner;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingProblem;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One run of oneshot (start, stop, sweep or status) from inputs to exit code: masks secrets first
 * (Actions mode), checks every input, builds the backend and the GitHub client, runs the fleet,
 * prints progress and a table, and writes outputs and the step summary. Blocks until done; not
 * idempotent (start starts a new batch each time).
 */
public final class OneshotRun {
  /** Exit code of a successful run. */
  public static final int OK = 0;
  /** Exit code of a failed run or bad input. */
  public static final int FAILED = 1;

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a sweep waits before its second look at containers it marked. */
  static final Duration SWEEP_RECHECK = Duration.ofSeconds(60);
  private final RunContext context;
  private final WorkflowCommands commands;

  public OneshotRun(RunContext context) {
    this.context = context;
    this.commands = new WorkflowCommands(context.out());
  }

  /** Runs with the given inputs (by input name) and returns the exit code. */
  public int run(Map<String, String> inputs) {
    List<RunnerLauncherProvider> providers = providers();
    ActionInputs definitions = ActionInputs.of(providers);
    if (context.actionsMode()) {
      maskSecrets(inputs, definitions);
    }
    ActionRequest request;
    try {
      request = RequestParser.parse(inputs, context.environment(), definitions);
      requireWritable("GITHUB_OUTPUT");
      requireWritable("GITHUB_STEP_SUMMARY");
    } catch (InvalidSettingsException e) {
      return invalid(e);
    }
    Map<String, String> backendSettings = new HashMap<>(request.backendSettings());
    LauncherPurpose purpose = request.mode() == Mode.START ? LauncherPurpose.START : LauncherPurpose.MANAGE;
    RunnerLauncherProvider provider = providers.stream().filter(p -> p.id().equals(request.backend()))
        .findFirst().orElseThrow();
    // The cloud's clients (and, for a start, its task definition and network lookups) are built on a thread of
    // their own while the GitHub client is built. The fleet starts once the launcher exists: a backend setting
    // that create() refuses must fail the step before anything calls GitHub (registering meanwhile would be
    // faster, but the SPI cannot tell a refused setting from a slow lookup).
    try (DeferredLauncher launcher = DeferredLauncher.start(provider,
        new BackendSettings(backendSettings, context.fleetOptions().clock(), purpose))) {
      GitHubClient github = githubClient(request.github(), context, commands);
      FleetOptions options = context.fleetOptions().withListener(new ProgressPrinter(context.err(), request.debug()));
      launcher.launcher(); // waits for the creation; throws DeferredLauncher.Unavailable when it failed
      switch (request.mode()) {
        case START:
          return start(github, launcher, options, request);
        case STOP:
          return stop(new RunnerFleet(github, launcher, options), request);
        case SWEEP:
          return sweep(new RunnerFleet(github, launcher, options), request);
        default:
          return status(github, launcher, request);
      }
    } catch (InvalidSettingsException e) {
      return invalid(e);
    } catch (OneshotException e) {
      return failed(e.getMessage());
    } catch (DeferredLauncher.Unavailable e) {
      // The launcher could not be created: report it as if create had thrown it (the fleet cleaned up first).
      if (e.getCause() instanceof InvalidSettingsException invalid) {
        return invalid(invalid);
      }
      if (e.getCause() instanceof OneshotException failure) {
        return failed(failure.getMessage());
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  /**
   * The GitHub client of a run: its scope, credentials, API URL and web server URL ({@code GITHUB_SERVER_URL} when
   * set); in Actions mode every secret it gets is masked.
   */
  static GitHubClient githubClient(GitHubSettings settings, RunContext context, WorkflowCommands commands) {
    GitHubClient.Builder builder = GitHubClient.builder();
    // The registration URLs name the web server: GitHub's runner sets GITHUB_SERVER_URL; elsewhere it is derived
    // from the API URL (api.github.com -> github.com, HOST/api/v3 -> HOST).
    Optional.ofNullable(context.environment().get("GITHUB_SERVER_URL")).filter(url -> url.startsWith("https://")
        || url.startsWith("http://")).map(URI::create).ifPresent(builder::serverUrl);
    return builder
        .scope(settings.scope())
        .credentials(settings.credentials())
        .apiUrl(settings.apiUrl())
        .clock(context.fleetOptions().clock())
        .sleeper(context.fleetOptions().sleeper())
        .userAgent("oneshot/0.1")
        .onSecret(context.actionsMode() ? commands::mask : secret -> { })
        .build();
  }

  /** The context's backends, checked to have one provider per id. */
  private List<RunnerLauncherProvider> providers() {
    Map<String, RunnerLauncherProvider> byId = new TreeMap<>();
    for (RunnerLauncherProvider provider : context.backends()) {
      if (byId.putIfAbsent(provider.id(), provider) != null) {
        throw new InvalidSettingsException("two backends claim the id '" + provider.id() + "'; give one");
      }
    }
    return List.copyOf(byId.values());
  }

  /**
   * Masks every secret input, and every other input whose value looks like a secret (a token pasted
   * into the wrong input), before anything else is printed.
   */
  private void maskSecrets(Map<String, String> inputs, ActionInputs definitions) {
    inputs.forEach((name, value) -> {
      boolean secret = definitions.find(name).map(InputDefinition::secret).orElse(false);
      if (value != null && (secret || SecretShapes.looksSecret(value))) {
        commands.mask(value);
      }
    });
  }

  private int start(GitHubClient github, RunnerLauncher launcher, FleetOptions options, ActionRequest request) {
    // The label reaches $GITHUB_OUTPUT before anything exists, so an if: always() stop finds the batch even
    // when this step is cancelled or killed.
    FleetListener earlyOutputs = event -> {
      if (event.phase() == FleetPhase.PLANNED) {
        output("runner_id", event.runnerName());
        output("id", event.runnerName());
        output("label", event.runnerName());
        output("backend", request.backend());
      }
    };
    RunnerFleet fleet = new RunnerFleet(github, launcher, options.withListener(earlyOutputs));
    if (!launcher.capabilities().secretEnvironment()) {
      warning("the runners' JIT configs are readable from " + request.backend() + "'s control plane while they boot"
          + " (anyone who can describe the containers could take a runner's job first); set seal-public-key, see"
          + " docs/sealed-jit.md");
    }
    BatchResult batch;
    try {
      batch = fleet.start(request.start().orElseThrow().withOwner(fleet.owner()), context.cancelSignal().nextStart());
    } catch (StartCancelledException e) {
      String line = "start cancelled (SIGTERM/SIGINT or the step's cancel); " + e.cleanup().summary();
      summary("### oneshot start `" + e.batchLabel() + "` cancelled\n\n" + e.cleanup().summary() + "\n");
      for (StoppedRunner runner : e.runners()) {
        context.err().println("oneshot: " + runner.runnerName() + " " + runner.action() + ": " + runner.detail());
      }
      return failed(line);
    }
    List<RunnerOutcome> runners = batch.runners();
    output("runner_names", json(runners.stream().map(RunnerOutcome::runnerName).toList()));
    output("github_runner_ids", json(runners.stream().filter(r -> r.githubRunnerId().isPresent())
        .map(r -> r.githubRunnerId().getAsLong()).toList()));
    List<String> resources = runners.stream().flatMap(r -> r.container().stream()).map(LaunchedRunner::resourceId).toList();
    List<String> ips = runners.stream().flatMap(r -> r.container().stream()).flatMap(c -> c.privateIp().stream()).toList();
    output("resource_ids", json(resources));
    output("task_arns", json(resources));
    output("ipaddrs", json(ips));
    output("task_arn", resources.isEmpty() ? "" : resources.get(0));
    output("ipaddr", ips.isEmpty() ? "" : ips.get(0));
    RunnerTable table = new RunnerTable(batch, request.backend());
    summary(table.markdown());
    context.err().print(table.text());
    context.err().flush();
    if (context.jsonOutput()) {
      context.out().println(JsonReports.start(batch, request.backend()));
    }
    if (batch.succeeded()) {
      return OK;
    }
    List<RunnerOutcome> bad = runners.stream()
        .filter(r -> r.kind() == OutcomeKind.FAILED || r.kind() == OutcomeKind.TIMED_OUT).toList();
    return failed(bad.size() + " of " + runners.size() + " runner(s) did not come online: " + bad.stream()
        .map(r -> r.runnerName() + " " + r.kind().name().toLowerCase(Locale.ROOT) + " (" + r.reason() + ")")
        .collect(Collectors.joining("; ")) + "; their registrations were deleted and their containers stopped");
  }

  private int stop(RunnerFleet fleet, ActionRequest request) {
    StopReport report;
    if (request.runnerId().isPresent()) {
      report = fleet.stop(request.runnerId().get(), request.force());
    } else {
      String run = request.workflowRun().orElseThrow();
      context.err().println("oneshot stop: no runner-id; stopping every batch of workflow run " + run);
      report = fleet.stopRun(run, request.force());
    }
    if (report.runners().isEmpty()) {
      context.err().println("oneshot stop " + report.batchLabel() + ": nothing left to stop");
    }
    for (StoppedRunner runner : report.runners()) {
      context.err().println("oneshot stop: " + runner.runnerName() + " " + runner.action() + ": " + runner.detail());
    }
    if (!report.leftBusy().isEmpty()) {
      warning(report.leftBusy().size() + " runner(s) running a job were left alone: " + report.leftBusy().stream()
          .map(StoppedRunner::runnerName).collect(Collectors.joining(", "))
          + "; they end with their job, or use force: true");
    }
    summary("### oneshot stop `" + report.batchLabel() + "`\n\n" + report.runners().size() + " runner(s) found, "
        + report.leftBusy().size() + " left running a job.\n");
    List<StoppedRunner> unfinished = report.runners().stream().filter(r -> r.action() == StopAction.TERMINATE_FAILED
        || r.action() == StopAction.NOT_FINISHED || r.action() == StopAction.REGISTRATION_UNKNOWN).toList();
    if (!unfinished.isEmpty()) {
      return failed(unfinished.size() + " runner(s) not fully stopped: " + unfinished.stream()
          .map(r -> r.runnerName() + " " + r.action() + " (" + r.detail() + ")").collect(Collectors.joining("; "))
          + "; run the stop again, or the sweep ends them");
    }
    return OK;
  }

  private int sweep(RunnerFleet fleet, ActionRequest request) {
    SweepReport first = fleet.sweep(request.prefix());
    print(first, fleet.owner(), request);
    if (first.count(SweepActionKind.MARKED_NEVER_ONLINE) > 0) {
      // Marks live in this process: look again after a pause instead of leaving them to a later run.
      context.err().println("oneshot sweep: looking again in " + SWEEP_RECHECK.toSeconds()
          + " s before stopping the containers whose runner never came online");
      try {
        context.fleetOptions().sleeper().sleep(SWEEP_RECHECK);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed("interrupted while waiting to look again");
      }
      print(fleet.sweep(request.prefix()), fleet.owner(), request);
    }
    return OK;
  }

  private void print(SweepReport report, String owner, ActionRequest request) {
    context.err().println("oneshot sweep (owner " + owner + ", name " + request.prefix() + "): "
        + report.containersSeen() + " container(s) and " + report.registrationsSeen() + " registration(s) seen, "
        + report.actions().size() + " action(s)");
    for (SweepFinding finding : report.findings()) {
      context.err().println("  " + finding.kind() + " " + finding.runnerName() + " " + finding.resourceId() + ": "
          + finding.detail());
    }
  }

  private int status(GitHubClient github, RunnerLauncher launcher, ActionRequest request) {
    String label = request.runnerId().orElseThrow();
    List<Runner> runners = github.listRunners().stream().filter(r -> r.hasLabel(label)).toList();
    String labelTag = OwnershipTags.safeValue(label);
    Map<LaunchedRunner, ContainerStatus> containers = new LinkedHashMap<>();
    launcher.listOwned(FleetOwner.of(request.github().scope(), launcher)).stream()
        .filter(c -> c.tag(OwnershipTags.LABEL).filter(labelTag::equals).isPresent())
        .forEach(container -> containers.put(container, launcher.describe(container)));
    context.err().println("oneshot status " + label + ": " + runners.size() + " registration(s), "
        + containers.size() + " container(s)");
    for (Runner runner : runners) {
      context.err().println("  runner " + runner.name() + " id " + runner.id() + " " + runner.status()
          + (runner.busy() ? " busy" : ""));
    }
    containers.forEach((container, status) -> context.err().println("  container " + container.resourceId() + " "
        + status.rawStatus() + container.privateIp().map(ip -> " " + ip).orElse("")));
    if (context.jsonOutput()) {
      context.out().println(JsonReports.status(label, request.backend(), runners, containers));
    }
    return OK;
  }

  /** Checked before anything is created: runners whose label cannot be published would be orphans. */
  private void requireWritable(String variable) {
    Optional<String> path = Optional.ofNullable(context.environment().get(variable)).filter(p -> !p.isBlank());
    if (path.isEmpty()) {
      return;
    }
    try (var stream = Files.newOutputStream(Path.of(path.get()), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      stream.flush();
    } catch (IOException | RuntimeException e) {
      throw new InvalidSettingsException("$" + variable + " (" + path.get() + ") cannot be written ("
          + e.getClass().getSimpleName() + "); the action image runs as uid 1001, the runner user of GitHub-hosted"
          + " runners: on a self-hosted runner give that uid write access to the runner's temp folder");
    }
  }

  private int invalid(InvalidSettingsException e) {
    for (SettingProblem problem : e.details()) {
      if (context.actionsMode()) {
        if (problem.input().isEmpty()) {
          commands.error(problem.message());
        } else {
          commands.inputError(problem.input(), problem.message());
        }
      }
      context.err().println("oneshot: " + problem.message());
    }
    return FAILED;
  }

  private int failed(String message) {
    if (context.actionsMode()) {
      commands.error(message);
    }
    context.err().println("oneshot: " + message);
    return FAILED;
  }

  private void warning(String message) {
    if (context.actionsMode()) {
      commands.warning(message);
    }
    context.err().println("oneshot: " + message);
  }

  private void output(String name, String value) {
    Optional.ofNullable(context.environment().get("GITHUB_OUTPUT")).filter(p -> !p.isBlank())
        .ifPresent(path -> new OutputFile(Path.of(path)).set(name, value));
  }

  private void summary(String markdown) {
    Optional<String> path = Optional.ofNullable(context.environment().get("GITHUB_STEP_SUMMARY")).filter(p -> !p.isBlank());
    if (path.isEmpty()) {
      return;
    }
    try {
      Files.writeString(Path.of(path.get()), markdown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the step summary " + path.get(), e);
    }
  }

  private static String json(List<?> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
