package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.oneshot.spi.RunnerEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code runner-image/entrypoint.sh} as a real bash process against the stub runner files in
 * {@code src/test/resources/stubs} (run.sh, config.sh, bin/Runner.Worker), copied into a temp folder
 * that stands in for {@code /home/runner}. The environment is built from scratch: only PATH, the
 * folders and what a test sets. Every finished run is checked for secrets in its output.
 */
final class Entrypoint {
  static final Path IMAGE_DIR = Path.of(System.getProperty("oneshot.image.dir", ".")).toAbsolutePath().normalize();
  static final Path SCRIPT = IMAGE_DIR.resolve("entrypoint.sh");
  static final Path HOOK = IMAGE_DIR.resolve("job-started.sh");

  private final Path dir;
  private final Path home;
  private final Map<String, String> env = new LinkedHashMap<>();

  Entrypoint(Path tempDir) {
    this.dir = tempDir;
    this.home = tempDir.resolve("home");
    copyStubs(home);
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("ONESHOT_RUNNER_HOME", home.toString());
    env.put("ONESHOT_STATE_DIR", tempDir.resolve("state").toString());
    env.put("STUB_DIR", tempDir.toString());
    env.put("STUB_LOG", tempDir.resolve("stub.log").toString());
  }

  /** A JIT-mode run with short timers unless the test changes them. */
  static Entrypoint jit(Path tempDir, String jitConfig) {
    return new Entrypoint(tempDir).env(RunnerEnvironment.JIT_CONFIG, jitConfig);
  }

  /** A token-mode run with every token-mode variable set. */
  static Entrypoint token(Path tempDir, String token) {
    return new Entrypoint(tempDir)
        .env(RunnerEnvironment.RUNNER_URL, "https://github.com/octo-org/app")
        .env(RunnerEnvironment.RUNNER_TOKEN, token)
        .env(RunnerEnvironment.RUNNER_NAME, "dev-a1b2c3d4")
        .env(RunnerEnvironment.RUNNER_LABELS, "self-hosted,Linux,X64,ephemeral,dev,dev-0123456789abcdef")
        .env(RunnerEnvironment.RUNNER_GROUP, "Default")
        .env(RunnerEnvironment.RUNNER_WORKDIR, "_work");
  }

  Entrypoint env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Entrypoint without(String name) {
    env.remove(name);
    return this;
  }

  Path dir() {
    return dir;
  }

  Path home() {
    return home;
  }

  Path stateDir() {
    return Path.of(env.get("ONESHOT_STATE_DIR"));
  }

  /** Starts the entrypoint; the caller waits for it with {@link Started#awaitExit()}. */
  Started start() {
    ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString()).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("output.txt").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    try {
      return new Started(builder.start(), System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the entrypoint to its end. */
  Finished run() {
    return start().awaitExit();
  }

  /** A running entrypoint. */
  final class Started {
    private final Process process;
    private final long startNanos;

    private Started(Process process, long startNanos) {
      this.process = process;
      this.startNanos = startNanos;
    }

    long pid() {
      return process.pid();
    }

    /** Sends a signal by name (TERM, INT, HUP) to the entrypoint, as the platform does to PID 1. */
    Started signal(String name) {
      try {
        int rc = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).start().waitFor();
        assertThat(rc).as("kill -s %s", name).isZero();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return this;
    }

    /** Waits (up to 5 s) until the stub log has a line containing the text. */
    Started awaitStubLog(String text) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        if (stubLog().stream().anyMatch(line -> line.contains(text))) {
          return this;
        }
        if (!process.isAlive()) {
          break;
        }
        pause(20);
      }
      return fail("the stub log never showed '%s'; log: %s; output: %s", text, stubLog(), output());
    }

    /** Waits (up to 10 s) for the entrypoint to end and checks that it printed no secret. */
    Finished awaitExit() {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("the entrypoint did not exit within 10 s; output: %s; stub log: %s", output(), stubLog());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      Finished finished = new Finished(process.exitValue(), output(), elapsed, stubLog());
      env.forEach((name, value) -> {
        if (RunnerEnvironment.isSecret(name)) {
          assertThat(finished.output()).as("output must not show %s", name).doesNotContain(value);
          assertThat(finished.stubLog()).as("runner arguments must not show %s", name)
              .noneMatch(line -> line.contains(value));
        }
      });
      return finished;
    }
  }

  /** How a run ended: exit code, everything it printed, how long it took, what the stubs saw. */
  record Finished(int exitCode, String output, Duration elapsed, List<String> stubLog) {
    boolean stubSaw(String text) {
      return stubLog.stream().anyMatch(line -> line.contains(text));
    }
  }

  String output() {
    return read(dir.resolve("output.txt")).orElse("");
  }

  List<String> stubLog() {
    return read(dir.resolve("stub.log")).map(text -> text.lines().toList()).orElse(List.of());
  }

  /** A file the stubs left in the temp folder (run-jitconfig, config-token, remove-token, ...). */
  Optional<String> stubFile(String name) {
    return read(dir.resolve(name));
  }

  /**
   * Whether the stub worker's process is gone, waiting up to 2 s: a killed process whose parent died
   * too lingers until init reaps it.
   */
  boolean workerGone() {
    long pid = Long.parseLong(stubFile("worker.pid").orElseThrow().trim());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      Optional<String> stat = read(Path.of("/proc", Long.toString(pid), "stat"));
      if (stat.isEmpty() || stat.get().substring(stat.get().lastIndexOf(')') + 2).startsWith("Z")) {
        return true;
      }
      pause(20);
    }
    return false;
  }

  static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void copyStubs(Path target) {
    try {
      Path source = Path.of(Entrypoint.class.getResource("/stubs/run.sh").toURI()).getParent();
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.toList()) {
          Path to = target.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(to);
          } else {
            Files.copy(file, to);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
