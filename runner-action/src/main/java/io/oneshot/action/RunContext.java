package io.oneshot.action;

import io.oneshot.core.FleetOptions;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a run needs from its surroundings: the process environment, stdout and stderr, whether it
 * runs as a GitHub Action, extra backend settings (the demo's endpoints), the fleet options (clock,
 * sleeper, randomness), and how reports are printed. Values only.
 *
 * @param environment environment variables ({@code GITHUB_OUTPUT}, {@code GITHUB_STEP_SUMMARY}, ...)
 * @param out standard output (workflow commands go here, and {@code --output json} documents)
 * @param err standard error (progress and tables go here)
 * @param actionsMode whether to speak the Actions protocol (masks, annotations, outputs, summary)
 * @param extraBackendSettings settings added to the backend's inputs, for example a fake's endpoint
 * @param fleetOptions the fleet's clock, sleeper and randomness
 * @param providers backend providers to use instead of the class path's, by id (the demo's sandbox clients)
 * @param jsonOutput whether start and status print a JSON document on {@code out}
 * @param cancelSignal what a shutdown hook (or a test) uses to cancel a start in progress
 */
public record RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
    Map<String, String> extraBackendSettings, FleetOptions fleetOptions, Map<String, RunnerLauncherProvider> providers,
    boolean jsonOutput, CancelSignal cancelSignal) {
  public RunContext {
    environment = Map.copyOf(environment);
    extraBackendSettings = Map.copyOf(extraBackendSettings);
    providers = Map.copyOf(providers);
    java.util.Objects.requireNonNull(cancelSignal, "cancelSignal");
  }

  /** A context with these providers and text reports. */
  public RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
      Map<String, String> extraBackendSettings, FleetOptions fleetOptions, Map<String, RunnerLauncherProvider> providers) {
    this(environment, out, err, actionsMode, extraBackendSettings, fleetOptions, providers, false, new CancelSignal());
  }

  /** A context that finds backends on the class path, with text reports. */
  public RunContext(Map<String, String> environment, PrintStream out, PrintStream err, boolean actionsMode,
      Map<String, String> extraBackendSettings, FleetOptions fleetOptions) {
    this(environment, out, err, actionsMode, extraBackendSettings, fleetOptions, Map.of(), false, new CancelSignal());
  }

  @Override
  public String toString() {
    return "RunContext[environment=" + environment.keySet() + ", actionsMode=" + actionsMode
        + ", extraBackendSettings=" + extraBackendSettings.keySet() + ", providers=" + providers.keySet()
        + ", jsonOutput=" + jsonOutput + "]";
  }
}
