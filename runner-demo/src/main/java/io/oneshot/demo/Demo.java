package io.oneshot.demo;

import io.oneshot.action.ActionInputs;
import io.oneshot.action.Mode;
import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code oneshot demo}: starts the fake GitHub and a fake cloud in-process, runs a real {@code start}
 * in Actions mode against them, lets the simulated runners take simulated jobs (one is left idle),
 * runs {@code stop}, and prints what a workflow would show: log lines, outputs, the step summary, and
 * what was left behind (nothing). Time is simulated, so it takes seconds. Blocks; needs no network.
 */
final class Demo {
  private final PrintStream out;
  private final PrintStream err;

  Demo(PrintStream out, PrintStream err) {
    this.out = new MaskEchoingStream(out);
    this.err = err;
  }

  /**
   * Shows {@code ::add-mask::} lines as a workflow log would not show them at all: the demo prints
   * that a value was masked, never the value (the JIT configs are long and secret even when fake).
   */
  private static final class MaskEchoingStream extends PrintStream {
    private final PrintStream target;

    MaskEchoingStream(PrintStream target) {
      super(target, true, java.nio.charset.StandardCharsets.UTF_8);
      this.target = target;
    }

    @Override
    public void println(String line) {
      target.println(line != null && line.startsWith("::add-mask::") ? "::add-mask::*** (a secret is masked)" : line);
    }
  }

  int run(String backend, int count) {
    if (count < 1 || count > 20) {
      err.println("oneshot demo: --count " + count + " is out of range; use 1 to 20");
      return DemoMain.USAGE;
    }
    TestClock clock = new TestClock(Instant.now());
    Path workspace = tempDirectory();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(System.nanoTime()).build()) {
      Optional<DemoCloud> found = DemoCloud.forBackend(backend, github);
      if (found.isEmpty()) {
        err.println("oneshot demo: backend '" + backend + "' has no demo in this build; use --backend ecs, cloudrun or aci");
        return DemoMain.USAGE;
      }
      try (DemoCloud cloud = found.get()) {
        return run(cloud, github, clock, workspace, count);
      }
    } finally {
      deleteQuietly(workspace);
    }
  }

  private int run(DemoCloud cloud, FakeGitHub github, TestClock clock, Path workspace, int count) {
    github.addRepository("octo-org/app");
    Path outputs = workspace.resolve("github_output");
    Path summary = workspace.resolve("step_summary");
    Map<String, String> environment = Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "octo-org/app",
        "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_OUTPUT", outputs.toString(),
        "GITHUB_STEP_SUMMARY", summary.toString());
    RunContext context = new RunContext(environment, out, err, true,
        FleetOptions.defaults().withClock(clock, clock.sleeper()), List.of(cloud.provider()));
    String token = github.issueToken();

    banner("oneshot demo: fake GitHub at " + github.apiUrl() + ", " + cloud.describe()
        + " (simulated time; nothing leaves this machine)");
    banner("step 1: uses: oneshot@v1 with backend: " + cloud.backend() + ", mode: start, count: " + count
        + ", name: dev, labels: db");
    Map<String, String> start = new HashMap<>(cloud.inputs());
    start.putAll(Map.of("mode", "start", "backend", cloud.backend(), "token", token, "name", "dev", "labels", "db",
        "count", Integer.toString(count)));
    int started = new OneshotRun(context).run(start);
    Map<String, String> outputValues = readOutputs(outputs);
    banner("outputs ($GITHUB_OUTPUT)");
    outputValues.forEach((name, value) -> out.println("  " + name + " = " + value));
    banner("job summary ($GITHUB_STEP_SUMMARY)");
    out.print(read(summary));
    if (started != OneshotRun.OK) {
      return started;
    }

    String label = outputValues.get("runner_id");
    banner("step 2: jobs with runs-on: [self-hosted, Linux, X64, ephemeral, dev, " + label + "]");
    List<String> containers = cloud.containers();
    for (int i = 0; i < containers.size(); i++) {
      Optional<SimulatedRunner> runner = cloud.runner(containers.get(i));
      if (runner.isEmpty()) {
        continue;
      }
      if (i == containers.size() - 1 && containers.size() > 1) {
        out.println("  " + runner.get().runnerName() + ": no job for this one; the stop step removes it");
        continue;
      }
      runner.get().acceptJob();
      clock.advance(Duration.ofSeconds(40));
      runner.get().finishJob();
      out.println("  " + runner.get().runnerName() + ": ran a job (40 s), exited " + runner.get().exitCode().orElse(-1)
          + "; GitHub removed the ephemeral runner");
    }
    clock.advance(Duration.ofSeconds(5));

    banner("step 3: uses: oneshot@v1 with mode: stop, runner-id: " + label + " (if: always())");
    // Only what the README's stop step passes: the backend's scope settings, not the start step's inputs.
    Map<String, String> stop = new HashMap<>();
    ActionInputs.of(List.of(cloud.provider())).backendInputs(cloud.backend(), Mode.STOP)
        .forEach(input -> Optional.ofNullable(cloud.inputs().get(input.name()))
            .ifPresent(value -> stop.put(input.name(), value)));
    stop.putAll(Map.of("mode", "stop", "backend", cloud.backend(), "token", token, "name", "dev", "runner-id", label));
    int stopped = new OneshotRun(context).run(stop);
    clock.advance(Duration.ofMinutes(1));
    long registered = github.runners("repos/octo-org/app").size();
    long running = cloud.running();
    banner("left behind: " + registered + " registered runner(s), " + running + " running container(s)");
    return stopped == OneshotRun.OK && registered == 0 && running == 0 ? OneshotRun.OK : OneshotRun.FAILED;
  }

  private void banner(String text) {
    out.println();
    out.println("== " + text);
    out.flush();
  }

  private static Map<String, String> readOutputs(Path file) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    if (!Files.exists(file)) {
      return values;
    }
    for (String line : read(file).split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return values;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDirectory() {
    try {
      return Files.createTempDirectory("oneshot-demo");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path directory) {
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
