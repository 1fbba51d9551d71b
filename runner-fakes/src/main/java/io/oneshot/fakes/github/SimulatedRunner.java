package io.oneshot.fakes.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A stand-in for the GitHub Actions runner application inside a container, driving a
 * {@link FakeGitHub}'s runner state from the fake's clock. It is lazy: nothing happens until it is
 * asked ({@link #poll()} or any accessor), at which point it catches up with the clock; once
 * {@code bootDelay} has passed since creation it connects (JIT config or registration token) and is
 * online. A test then drives jobs with {@link #acceptJob()} and {@link #finishJob()}, or ends the
 * process with {@link #crash(int)} or {@link #stop()}. The "container" has exited once
 * {@link #exitCode()} is present; fake launchers and fake clouds poll that.
 *
 * <p>Exit codes: 0 after an ephemeral runner's job, {@value #SIGTERM_EXIT_CODE} after {@link #stop()},
 * {@value #CONNECT_FAILURE_EXIT_CODE} when connecting fails (JIT config reused or its runner deleted,
 * registration token expired) or when the runner is deleted from GitHub while idle; the given code for
 * crashes. Thread-safe (synchronised).
 */
public final class SimulatedRunner {
  /** Exit code after a SIGTERM ({@link #stop()}): 128 + 15. */
  public static final int SIGTERM_EXIT_CODE = 143;
  /** Exit code when the runner cannot connect or is removed from GitHub under it. */
  public static final int CONNECT_FAILURE_EXIT_CODE = 1;

  private enum Phase {
    BOOTING, IDLE, BUSY, EXITED
  }

  private final FakeGitHub github;
  private final Clock clock;
  private final Instant createdAt;
  private final Duration bootDelay;
  private final RunnerBehaviour behaviour;
  private final String jitConfig;
  private final String registrationToken;
  private final List<String> labels;
  private final String group;
  private final boolean ephemeral;
  private String runnerName;
  private String scopeKey;
  private long runnerId = -1;
  private Phase phase = Phase.BOOTING;
  private Integer exitCode;
  private Instant exitedAt;
  private String exitReason = "";

  private SimulatedRunner(FakeGitHub github, Duration bootDelay, RunnerBehaviour behaviour,
      String jitConfig, String registrationToken, String runnerName, List<String> labels, String group,
      boolean ephemeral) {
    this.github = Objects.requireNonNull(github, "github");
    this.clock = github.clock();
    this.createdAt = clock.instant();
    this.bootDelay = requireNonNegative(bootDelay);
    this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    this.jitConfig = jitConfig;
    this.registrationToken = registrationToken;
    this.runnerName = runnerName;
    this.labels = labels == null ? List.of() : List.copyOf(labels);
    this.group = group;
    this.ephemeral = ephemeral;
  }

  /** A runner started with {@code ./run.sh --jitconfig}, behaving normally. */
  public static SimulatedRunner fromJitConfig(FakeGitHub github, String encodedJitConfig,
      Duration bootDelay) {
    return fromJitConfig(github, encodedJitConfig, bootDelay, RunnerBehaviour.NORMAL);
  }

  /**
   * A runner started with {@code ./run.sh --jitconfig}. Its name and scope are read from the config; an
   * unreadable config makes it exit with {@value #CONNECT_FAILURE_EXIT_CODE} once booted.
   */
  public static SimulatedRunner fromJitConfig(FakeGitHub github, String encodedJitConfig,
      Duration bootDelay, RunnerBehaviour behaviour) {
    Objects.requireNonNull(encodedJitConfig, "encodedJitConfig");
    SimulatedRunner runner = new SimulatedRunner(github, bootDelay, behaviour, encodedJitConfig, null,
        null, List.of(), null, true);
    try {
      DecodedJitConfig decoded = JitConfigs.decode(encodedJitConfig);
      runner.runnerName = decoded.runnerName();
      runner.scopeKey = decoded.scopeKey();
    } catch (IllegalArgumentException e) {
      runner.runnerName = "";
    }
    github.simulatedRunnerCreated(runner, encodedJitConfig);
    return runner;
  }

  /** An ephemeral runner configured with {@code config.sh --token ... --ephemeral}, behaving normally. */
  public static SimulatedRunner fromRegistrationToken(FakeGitHub github, String registrationToken,
      String runnerName, List<String> labels, String runnerGroup, Duration bootDelay) {
    return fromRegistrationToken(github, registrationToken, runnerName, labels, runnerGroup, true,
        bootDelay, RunnerBehaviour.NORMAL);
  }

  /**
   * A runner configured with {@code config.sh --token} and then started.
   *
   * @param runnerGroup the group name, {@code null} for the default group
   */
  public static SimulatedRunner fromRegistrationToken(FakeGitHub github, String registrationToken,
      String runnerName, List<String> labels, String runnerGroup, boolean ephemeral, Duration bootDelay,
      RunnerBehaviour behaviour) {
    Objects.requireNonNull(registrationToken, "registrationToken");
    Objects.requireNonNull(runnerName, "runnerName");
    SimulatedRunner runner = new SimulatedRunner(github, bootDelay, behaviour, null, registrationToken,
        runnerName, labels, runnerGroup, ephemeral);
    runner.scopeKey = github.scopeOfRegistrationToken(registrationToken).orElse(null);
    return runner;
  }

  /** Catches up with the clock: connects once the boot delay has passed. Idempotent; never blocks. */
  public synchronized void poll() {
    if (phase == Phase.BOOTING && !clock.instant().isBefore(createdAt.plus(bootDelay))) {
      boot();
    } else if (phase == Phase.IDLE && scopeKey != null
        && github.runner(scopeKey, runnerId).isEmpty()) {
      exit(CONNECT_FAILURE_EXIT_CODE, "runner was removed from GitHub");
    }
  }

  private void boot() {
    if (behaviour instanceof RunnerBehaviour.NeverOnline) {
      return;
    }
    if (behaviour instanceof RunnerBehaviour.CrashOnBoot crash) {
      exit(crash.exitCode(), "crashed while booting");
      return;
    }
    try {
      FakeRunner runner = jitConfig != null
          ? github.connectJit(jitConfig)
          : github.configureWithToken(registrationToken, runnerName, labels, group, ephemeral);
      runnerId = runner.id();
      runnerName = runner.name();
      phase = Phase.IDLE;
    } catch (IllegalStateException | IllegalArgumentException e) {
      exit(CONNECT_FAILURE_EXIT_CODE, "could not connect: " + e.getMessage());
    }
  }

  /**
   * GitHub assigns a job: the runner becomes busy.
   *
   * @throws IllegalStateException unless it is online and idle
   */
  public synchronized void acceptJob() {
    poll();
    if (phase != Phase.IDLE) {
      throw new IllegalStateException("runner " + runnerName + " cannot take a job while " + phase);
    }
    github.startJob(scopeKey, runnerId);
    phase = Phase.BUSY;
  }

  /**
   * The job ends: an ephemeral runner is removed from GitHub and the process exits 0; a persistent one
   * goes back to waiting.
   *
   * @throws IllegalStateException unless it is running a job
   */
  public synchronized void finishJob() {
    poll();
    if (phase != Phase.BUSY) {
      throw new IllegalStateException("runner " + runnerName + " is not running a job (" + phase + ")");
    }
    github.finishJob(scopeKey, runnerId);
    if (ephemeral) {
      exit(0, "finished its job");
    } else {
      phase = Phase.IDLE;
    }
  }

  /** The process dies with {@code exitCode}; GitHub sees the runner go offline. No-op once exited. */
  public synchronized void crash(int exitCode) {
    if (phase == Phase.EXITED) {
      return;
    }
    if (runnerId >= 0) {
      github.goOffline(scopeKey, runnerId);
    }
    exit(exitCode, "crashed");
  }

  /**
   * SIGTERM: the runner stops and exits with {@value #SIGTERM_EXIT_CODE}. Before a job, a runner
   * configured with a token deregisters itself; a JIT runner just goes offline (GitHub removes it
   * later). During a job the job is abandoned and the runner goes offline. No-op once exited.
   */
  public synchronized void stop() {
    poll();
    if (phase == Phase.EXITED) {
      return;
    }
    if (runnerId >= 0) {
      if (phase == Phase.IDLE && registrationToken != null) {
        github.removeRunner(scopeKey, runnerId);
      } else {
        github.goOffline(scopeKey, runnerId);
      }
    }
    exit(SIGTERM_EXIT_CODE, "stopped by SIGTERM");
  }

  private void exit(int code, String reason) {
    phase = Phase.EXITED;
    exitCode = code;
    exitedAt = clock.instant();
    exitReason = reason;
  }

  /** The exit code once the process has exited; empty while it runs. */
  public synchronized Optional<Integer> exitCode() {
    poll();
    return Optional.ofNullable(exitCode);
  }

  /** When the process exited, if it has. */
  public synchronized Optional<Instant> exitedAt() {
    poll();
    return Optional.ofNullable(exitedAt);
  }

  /** Why the process exited (for test diagnostics; never contains secrets); empty while running. */
  public synchronized String exitReason() {
    poll();
    return exitReason;
  }

  /** Whether the runner is connected (idle or busy). */
  public synchronized boolean isOnline() {
    poll();
    return phase == Phase.IDLE || phase == Phase.BUSY;
  }

  /** Whether it is running a job. */
  public synchronized boolean isBusy() {
    poll();
    return phase == Phase.BUSY;
  }

  /** The runner name (from the JIT config, or as configured). */
  public synchronized String runnerName() {
    return runnerName;
  }

  /** GitHub's runner id once it has connected (for JIT, known from the config even before). */
  public synchronized OptionalLong githubRunnerId() {
    poll();
    if (runnerId >= 0) {
      return OptionalLong.of(runnerId);
    }
    if (jitConfig != null) {
      try {
        return OptionalLong.of(JitConfigs.decode(jitConfig).runnerId());
      } catch (IllegalArgumentException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /** When this process started (its creation on the clock). */
  public Instant startedAt() {
    return createdAt;
  }

  @Override
  public synchronized String toString() {
    return "SimulatedRunner[" + runnerName + ", " + phase + (exitCode == null ? "" : ", exit " + exitCode)
        + "]";
  }

  private static Duration requireNonNegative(Duration duration) {
    Objects.requireNonNull(duration, "bootDelay");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("bootDelay must not be negative");
    }
    return duration;
  }
}
