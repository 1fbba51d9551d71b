package io.oneshot.action;

import io.oneshot.core.FleetOptions;
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
 */
public record RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
    Map<String, String> extraBackendSettings, FleetOptions fleetOptions) {
  public RunContext {
    environment = Map.copyOf(environment);
    extraBackendSettings = Map.copyOf(extraBackendSettings);
  }
}
