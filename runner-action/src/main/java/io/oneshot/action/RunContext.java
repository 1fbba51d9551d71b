package io.oneshot.action;

import io.oneshot.core.FleetOptions;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a run needs from its surroundings: the process environment, stdout and stderr, whether it
 * runs as a GitHub Action, extra backend settings (the demo's endpoints), and the fleet options
 * (clock, sleeper, randomness).
 *
 * @param environment environment variables ({@code GITHUB_OUTPUT}, {@code GITHUB_STEP_SUMMARY}, ...)
 * @param out standard output (workflow commands go here)
 * @param err standard error (progress and tables go here)
 * @param actionsMode whether to speak the Actions protocol (masks, annotations, outputs, summary)
 * @param extraBackendSettings settings added to the backend's inputs, for example a fake's endpoint
 * @param fleetOptions the fleet's clock, sleeper and randomness
 * @param providers backend providers to use instead of the class path's, by id (the demo's sandbox clients)
 */
public record RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
    Map<String, String> extraBackendSettings, FleetOptions fleetOptions, Map<String, RunnerLauncherProvider> providers) {
  public RunContext {
    environment = Map.copyOf(environment);
    extraBackendSettings = Map.copyOf(extraBackendSettings);
    providers = Map.copyOf(providers);
  }

  /** A context that finds backends on the class path. */
  public RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
      Map<String, String> extraBackendSettings, FleetOptions fleetOptions) {
    this(environment, out, err, actionsMode, extraBackendSettings, fleetOptions, Map.of());
  }
}
