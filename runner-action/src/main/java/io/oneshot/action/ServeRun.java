package io.oneshot.action;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.oneshot.github.GitHubClient;
import io.oneshot.pool.RunnerPool;
import io.oneshot.scaleset.ScaleSet;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingProblem;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code oneshot serve}: checks the options, creates the backend's launcher, checks the
 * configuration with GitHub and gets or creates the scale set ({@link RunnerPool#start()}), serves
 * {@code /healthz} and {@code /metrics}, and runs until the context's cancel signal (SIGTERM, SIGINT) comes;
 * then it stops launching, deletes the session and exits 0. A bad option or a setting GitHub or the backend
 * refuses ends it with exit code 1 and one line naming the option, before anything is created. Blocks for the
 * life of the pool.
 */
public final class ServeRun {
  private static final Logger LOG = LoggerFactory.getLogger(ServeRun.class);
  private final RunContext context;
  private final WorkflowCommands commands;

  public ServeRun(RunContext context) {
    this.context = context;
    this.commands = new WorkflowCommands(context.out());
  }

  /** Runs with the given options (by name) and returns the exit code. */
  public int run(Map<String, String> inputs) {
    ActionInputs definitions = ActionInputs.of(context.backends());
    ServeRequest request;
    try {
      request = ServeRequestParser.parse(inputs, context.environment(), definitions);
    } catch (InvalidSettingsException e) {
      return invalid(e);
    }
    RunnerLauncherProvider provider = context.backends().stream().filter(p -> p.id().equals(request.backend()))
        .findFirst().orElseThrow();
    CountDownLatch stop = new CountDownLatch(1);
    context.cancelSignal().onCancel(stop::countDown);
    try (RunnerLauncher launcher = provider.create(new BackendSettings(request.backendSettings(),
        context.fleetOptions().clock(), LauncherPurpose.START))) {
      if (!launcher.capabilities().secretEnvironment()) {
        report(request, "warning: the runners' JIT configs are readable from "
            + request.backend() + "'s control plane while they boot; set seal-public-key, see docs/sealed-jit.md");
      }
      GitHubClient github = OneshotRun.githubClient(request.github(), context, commands);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RunnerPool pool = RunnerPool.builder().github(github).launcher(launcher).settings(request.pool())
          .clock(context.fleetOptions().clock()).sleeper(context.fleetOptions().sleeper())
          .listener(new PoolMetrics(registry)).build();
      try (pool) {
        ScaleSet scaleSet = pool.start();
        report(request, "scale set " + scaleSet.name() + " (id " + scaleSet.id()
            + ") in runner group " + request.pool().runnerGroup() + " with labels " + scaleSet.labels()
            + "; jobs use runs-on: " + scaleSet.name());
        report(request, request.pool().minRunners() + " to " + request.pool().maxRunners()
            + " runners on " + request.backend() + "; their containers carry oneshot-owner=" + pool.owner());
        try (ServeHttp http = request.metricsPort() > 0 ? ServeHttp.start(request.metricsPort(),
            context.fleetOptions().clock(), pool::lastStepAt, registry::scrape) : null) {
          if (http != null) {
            report(request, "/healthz and /metrics on port " + http.port());
          }
          while (!stop.await(1, TimeUnit.SECONDS)) {
            if (pool.awaitStopped(Duration.ZERO)) {
              return failed(request, "the serve loop stopped on an unexpected error (see the log above)");
            }
          }
        }
      }
      report(request, "stopped; the session is deleted, runners running jobs keep running");
      return OneshotRun.OK;
    } catch (InvalidSettingsException e) {
      e.details().forEach(problem -> failed(request, problem.message()));
      return OneshotRun.FAILED;
    } catch (OneshotException e) {
      return failed(request, e.getMessage());
    } catch (IOException e) {
      return failed(request, "metrics-port " + request.metricsPort() + " cannot be served (" + e.getMessage()
          + "); give a free port, or 0 for none");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(request, "interrupted");
    }
  }

  /** A status line: on stderr as text, or a log line (one JSON object) with --log-format json. */
  private void report(ServeRequest request, String line) {
    if (request.jsonLogs()) {
      LOG.info(line);
    } else {
      context.err().println("oneshot serve: " + line);
    }
  }

  private int invalid(InvalidSettingsException e) {
    for (SettingProblem problem : e.details()) {
      context.err().println("oneshot: " + problem.message());
    }
    return OneshotRun.FAILED;
  }

  /** A failure after the options were read: a log line (one JSON object) with --log-format json, else text. */
  private int failed(ServeRequest request, String message) {
    if (request.jsonLogs()) {
      LOG.error(message);
    } else {
      context.err().println("oneshot: " + message);
    }
    return OneshotRun.FAILED;
  }
}
