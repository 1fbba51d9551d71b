package io.oneshot.cli;

import io.oneshot.action.ActionInputs;
import io.oneshot.action.CancelSignal;
import io.oneshot.action.InputDefinition;
import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import io.oneshot.action.ServeRun;
import io.oneshot.core.FleetOptions;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code oneshot} command: {@code start | stop | sweep | status | serve | completion}. In a GitHub Docker action
 * ({@code GITHUB_ACTIONS=true}, no arguments) the mode and every input come from {@code INPUT_*}
 * variables. Exit codes: 0 success, 1 failure, 2 usage error. Blocks until the run ends.
 */
public final class OneshotCli {
  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  private OneshotCli() {}

  /** How long the shutdown hook waits for a cancelled start's cleanup: GitHub kills the step about 7.5 s after SIGTERM. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(7);

  /**
   * How long the shutdown hook waits for {@code serve} to stop: a launch round in flight finishes first (the
   * deployments give the container a stop timeout of at least 30 s).
   */
  static final Duration SERVE_SHUTDOWN_GRACE = Duration.ofSeconds(25);

  public static void main(String[] args) {
    CancelSignal cancel = new CancelSignal();
    CountDownLatch reported = new CountDownLatch(1);
    boolean serving = args.length > 0 && args[0].equals("serve");
    Duration grace = serving ? SERVE_SHUTDOWN_GRACE : SHUTDOWN_GRACE;
    AtomicInteger exitCode = new AtomicInteger(-1);
    // SIGTERM/SIGINT: cancel the start in progress (or stop serve) and let the run clean up and say what it
    // cleaned; the JVM exits when this hook returns, so it waits for the run (bounded by the grace). A serve that
    // stopped cleanly exits 0, as a service told to stop should; a cancelled start keeps the signal's status.
    Thread hook = new Thread(() -> {
      long deadline = System.nanoTime() + grace.toNanos();
      try {
        cancel.cancelAndAwait(grace);
        reported.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (serving && exitCode.get() == OneshotRun.OK) {
        Runtime.getRuntime().halt(OneshotRun.OK);
      }
    }, "oneshot-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = run(args, System.getenv(), System.out, System.err, FleetOptions.defaults(),
        RunContext.classPathBackends(), cancel);
    System.out.flush();
    System.err.flush();
    exitCode.set(code);
    reported.countDown();
    stopHttpSelectors(Duration.ofMillis(100));
    System.exit(code);
  }

  /**
   * Ends the JDK HTTP client's selector threads (the GitHub client's) before the JVM exits. Each sits in
   * {@code epoll_wait}, in native code, and HotSpot's exit waits up to 300 ms for threads in native to block: a
   * third of a second between the last output and the end of the step. The selector loop ends when its thread is
   * interrupted (JDK 17's client has no {@code close}). Only called once the run is over.
   */
  static void stopHttpSelectors(Duration wait) {
    List<Thread> selectors = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")).toList();
    selectors.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + wait.toNanos();
    for (Thread selector : selectors) {
      try {
        selector.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Runs the command and returns its exit code; the process environment and streams are passed in. */
  public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    return run(args, environment, out, err, FleetOptions.defaults(), RunContext.classPathBackends(),
        new CancelSignal());
  }

  /** Runs the command with these fleet options and backends; a shutdown hook cancels a start through {@code cancel}. */
  static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err,
      FleetOptions fleetOptions, List<RunnerLauncherProvider> backends, CancelSignal cancel) {
    ActionInputs definitions = ActionInputs.of(backends);
    if ("true".equalsIgnoreCase(environment.get("GITHUB_ACTIONS")) && args.length == 0) {
      return new OneshotRun(new RunContext(environment, out, err, true, fleetOptions, backends, false, cancel))
          .run(actionInputs(environment, definitions));
    }
    CommandLine commandLine = new CommandLine(CliSpec.root(definitions));
    commandLine.setOut(new java.io.PrintWriter(out, true));
    commandLine.setErr(new java.io.PrintWriter(err, true));
    ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("oneshot: " + e.getMessage());
      e.getCommandLine().usage(err);
      return USAGE;
    }
    Integer helped = CommandLine.executeHelpRequest(parsed);
    if (helped != null) {
      return helped;
    }
    if (!parsed.hasSubcommand()) {
      commandLine.usage(err);
      return USAGE;
    }
    ParseResult sub = parsed.subcommand();
    String mode = sub.commandSpec().name();
    if (mode.equals("completion")) {
      out.print(AutoComplete.bash("oneshot", commandLine));
      out.flush();
      return 0;
    }
    Map<String, String> inputs = new HashMap<>();
    inputs.put("mode", mode);
    boolean json = false;
    for (OptionSpec option : sub.matchedOptions()) {
      String name = option.longestName().substring(2);
      if (option.longestName().equals(CliSpec.OUTPUT)) {
        json = option.getValue() == CliSpec.OutputFormat.json;
      } else if (!name.equals("app-private-key-file")) {
        inputs.put(name, String.valueOf((Object) option.getValue()));
      }
    }
    try {
      secretsFromEnvironment(sub, environment, inputs, definitions);
    } catch (IOException e) {
      err.println("oneshot: app-private-key-file could not be read (" + e.getClass().getSimpleName()
          + "); give a readable PEM file");
      return OneshotRun.FAILED;
    }
    if (mode.equals("serve") && "json".equalsIgnoreCase(inputs.getOrDefault("log-format", "").trim())) {
      LogSetup.use(LogFormat.JSON); // serve's --log-format: every log line from here on is one JSON object
    }
    RunContext context = new RunContext(environment, out, err, false, fleetOptions, backends, json, cancel);
    return mode.equals("serve") ? new ServeRun(context).run(inputs) : new OneshotRun(context).run(inputs);
  }

  /** Action inputs from {@code INPUT_<NAME>} (upper case, hyphens kept); empty means unset. */
  static Map<String, String> actionInputs(Map<String, String> environment, ActionInputs definitions) {
    Map<String, String> inputs = new HashMap<>();
    for (InputDefinition input : definitions.all()) {
      String value = environment.get(input.environmentName());
      if (value != null && !value.isBlank()) {
        inputs.put(input.name(), value);
      }
    }
    return inputs;
  }

  /** The environment variable a backend's secret setting is read from on the command line. */
  static String secretVariable(InputDefinition input) {
    return "ONESHOT_" + input.name().toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static void secretsFromEnvironment(ParseResult sub, Map<String, String> environment, Map<String, String> inputs,
      ActionInputs definitions) throws IOException {
    String token = environment.getOrDefault("GITHUB_TOKEN", environment.get("GH_TOKEN"));
    if (token != null && !token.isBlank() && !inputs.containsKey("app-id")) {
      inputs.put("token", token);
    }
    String keyFile = sub.matchedOptionValue("--app-private-key-file", null);
    if (keyFile != null) {
      inputs.put("app-private-key", Files.readString(Path.of(keyFile)));
    } else if (environment.get("ONESHOT_APP_PRIVATE_KEY") != null) {
      inputs.put("app-private-key", environment.get("ONESHOT_APP_PRIVATE_KEY"));
    }
    // A backend's secret settings come from ONESHOT_<NAME> (registry-password: ONESHOT_REGISTRY_PASSWORD).
    for (InputDefinition input : definitions.all()) {
      String value = environment.get(secretVariable(input));
      if (input.secret() && input.isBackendSetting() && value != null && !value.isBlank()) {
        inputs.put(input.name(), value);
      }
    }
  }
}
