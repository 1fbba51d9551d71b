package io.oneshot.fakes.internal;

import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.RunnerBehaviour;
import io.oneshot.fakes.github.SimulatedRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A container whose process is a {@link SimulatedRunner} started from the container's environment
 * (the runner image's contract: a JIT config, or the token-mode variables). Pending until
 * {@code startsAt} on the clock, then running until the runner exits or the container is killed.
 * Every fake cloud maps these phases onto its own states. Lazy on the clock; thread-safe.
 */
public final class SimulatedContainer {
  /** Where the container stands. */
  public enum Phase { PENDING, RUNNING, EXITED }

  private final FakeGitHub github;
  private final Clock clock;
  private final Map<String, String> environment;
  private final Instant startsAt;
  private final Duration bootDelay;
  private final RunnerBehaviour behaviour;
  private SimulatedRunner runner;
  private Integer killedWith;
  private Instant killedAt;

  public SimulatedContainer(FakeGitHub github, Map<String, String> environment, Instant startsAt, Duration bootDelay,
      RunnerBehaviour behaviour) {
    this.github = Objects.requireNonNull(github, "github");
    this.clock = github.clock();
    this.environment = Map.copyOf(environment);
    this.startsAt = Objects.requireNonNull(startsAt, "startsAt");
    this.bootDelay = Objects.requireNonNull(bootDelay, "bootDelay");
    this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    // A fake scale-set service hands jobs to runners nobody else looks at: let it start this one on time.
    github.watchScaleSetLauncher(this.environment.get(RunnerEnvironment.JIT_CONFIG), this::startedOrGone);
  }

  /** Catches up with the clock; whether the runner process exists now or never will. */
  private synchronized boolean startedOrGone() {
    phase();
    return runner != null || killedWith != null;
  }

  /** The phase now, starting the runner process once the container starts. */
  public synchronized Phase phase() {
    if (killedWith != null) {
      return Phase.EXITED;
    }
    if (clock.instant().isBefore(startsAt)) {
      return Phase.PENDING;
    }
    SimulatedRunner process = process();
    return process.exitCode().isPresent() ? Phase.EXITED : Phase.RUNNING;
  }

  /** The exit code once exited. */
  public synchronized Optional<Integer> exitCode() {
    if (killedWith != null) {
      return Optional.of(killedWith);
    }
    return phase() == Phase.EXITED ? runner.exitCode() : Optional.empty();
  }

  /** Why the process ended, empty while it runs. */
  public synchronized String exitReason() {
    if (killedWith != null) {
      return "killed";
    }
    return runner == null ? "" : runner.exitReason();
  }

  /** When it exited, if it has. */
  public synchronized Optional<Instant> exitedAt() {
    if (killedAt != null) {
      return Optional.of(killedAt);
    }
    return runner == null ? Optional.empty() : runner.exitedAt();
  }

  /** The runner process once the container has started. */
  public synchronized Optional<SimulatedRunner> runner() {
    phase();
    return Optional.ofNullable(runner);
  }

  /**
   * Stops the container: SIGTERM to a running runner (which exits 143), or no process at all when it
   * never started. Idempotent.
   */
  public synchronized void stop() {
    if (phase() == Phase.RUNNING) {
      runner.stop();
    } else if (runner == null && killedWith == null) {
      killedWith = SimulatedRunner.SIGTERM_EXIT_CODE;
      killedAt = clock.instant();
    }
  }

  private SimulatedRunner process() {
    if (runner == null) {
      // The process started at startsAt even if nobody looked until now: boot relative to that.
      Duration sinceStart = Duration.between(startsAt, clock.instant());
      Duration bootDelay = sinceStart.compareTo(this.bootDelay) >= 0 ? Duration.ZERO : this.bootDelay.minus(sinceStart);
      String jit = environment.get(RunnerEnvironment.JIT_CONFIG);
      if (jit != null) {
        runner = SimulatedRunner.fromJitConfig(github, jit, bootDelay, behaviour);
      } else {
        List<String> labels = Arrays.stream(environment.getOrDefault(RunnerEnvironment.RUNNER_LABELS, "").split(","))
            .filter(label -> !label.isBlank()).toList();
        runner = SimulatedRunner.fromRegistrationToken(github, environment.getOrDefault(RunnerEnvironment.RUNNER_TOKEN, ""),
            environment.getOrDefault(RunnerEnvironment.RUNNER_NAME, ""), labels,
            environment.get(RunnerEnvironment.RUNNER_GROUP), true, bootDelay, behaviour);
      }
    }
    return runner;
  }
}
