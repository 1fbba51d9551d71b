package io.oneshot.action;

import io.oneshot.core.FleetOptions;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.RunnerLaunchers;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run needs from its surroundings: the process environment, stdout and stderr, whether it
 * runs as a GitHub Action, the fleet options (clock, sleeper, randomness), the backends it may use,
 * how reports are printed and the signal that cancels a start. Values only.
 *
 * @param environment environment variables ({@code GITHUB_OUTPUT}, {@code GITHUB_STEP_SUMMARY}, ...)
 * @param out standard output (workflow commands go here, and {@code --output json} documents)
 * @param err standard error (progress and tables go here); in Actions mode wrapped so that no line
 *     printed to it can start a workflow command (the runner parses stderr for them as well as stdout)
 * @param actionsMode whether to speak the Actions protocol (masks, annotations, outputs, summary)
 * @param fleetOptions the fleet's clock, sleeper and randomness
 * @param backends the backend providers this run chooses from by id: the class path's in production
 *     ({@link #classPathBackends()}); providers built with the caller's own clients elsewhere
 * @param jsonOutput whether start and status print a JSON document on {@code out}
 * @param cancelSignal what a shutdown hook (or a test) uses to cancel a start in progress
 */
public record RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
    FleetOptions fleetOptions, List<RunnerLauncherProvider> backends, boolean jsonOutput, CancelSignal cancelSignal) {
  public RunContext {
    environment = Map.copyOf(environment);
    backends = List.copyOf(backends);
    if (actionsMode && err != null) {
      err = CommandSafeStream.wrap(err);
    }
    Objects.requireNonNull(fleetOptions, "fleetOptions");
    Objects.requireNonNull(cancelSignal, "cancelSignal");
  }

  /** A context with these backends, text reports and a cancel signal of its own. */
  public RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
      FleetOptions fleetOptions, List<RunnerLauncherProvider> backends) {
    this(environment, out, err, actionsMode, fleetOptions, backends, false, new CancelSignal());
  }

  /** The backends on oneshot's class path ({@link java.util.ServiceLoader}), sorted by id. Does not block. */
  public static List<RunnerLauncherProvider> classPathBackends() {
    return List.copyOf(RunnerLaunchers.all(RunContext.class.getClassLoader()).values());
  }

  @Override
  public String toString() {
    return "RunContext[environment=" + environment.keySet() + ", actionsMode=" + actionsMode + ", backends="
        + backends.stream().map(RunnerLauncherProvider::id).toList() + ", jsonOutput=" + jsonOutput + "]";
  }
}
