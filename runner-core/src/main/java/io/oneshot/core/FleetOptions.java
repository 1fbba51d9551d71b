package io.oneshot.core;

import io.oneshot.spi.Sleeper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * How a {@link RunnerFleet} runs: its clock and sleeper (tests pass a test clock), the randomness of
 * names, listeners, parallelism, polling bounds, the sweep's boot timeout and where it keeps its marks.
 * An immutable value; build one with {@link #builder()} or change {@link #defaults()} with the
 * {@code with*} methods.
 *
 * @param clock the time source; the {@link io.oneshot.github.GitHubClient}'s clock should be the same,
 *     so rate-limit resets and deadlines are read on one time line
 * @param sleeper how the fleet waits between polls; the GitHub client's should be the same
 * @param random the source of batch labels and runner names
 * @param listeners progress listeners
 * @param parallelism the most cloud calls in flight at once
 * @param initialPollInterval the first wait between polls, and the wait for the first seconds after a container
 *     runs (250 ms by default: a runner online is seen within a quarter of a second)
 * @param maxPollInterval the longest wait between polls (unless the rate-limit budget needs longer)
 * @param bootTimeout how long a container may run without its runner online before the sweep marks it
 * @param sweepMarks where the sweep keeps its marks between passes ({@link SweepMarks} in memory by default)
 * @param cancelBudget how long (real time) a cancelled start may spend cleaning up: GitHub kills a
 *     cancelled step about 7.5 s after it signals it, so the default is 6 s
 */
public record FleetOptions(
    Clock clock,
    Sleeper sleeper,
    Random random,
    List<FleetListener> listeners,
    int parallelism,
    Duration initialPollInterval,
    Duration maxPollInterval,
    Duration bootTimeout,
    SweepMarkStore sweepMarks,
    Duration cancelBudget) {

  /** The default {@link #cancelBudget()}: inside the ~7.5 s GitHub gives a cancelled step. */
  public static final Duration DEFAULT_CANCEL_BUDGET = Duration.ofSeconds(6);

  public FleetOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(random, "random");
    listeners = List.copyOf(listeners);
    Objects.requireNonNull(initialPollInterval, "initialPollInterval");
    Objects.requireNonNull(maxPollInterval, "maxPollInterval");
    Objects.requireNonNull(bootTimeout, "bootTimeout");
    Objects.requireNonNull(sweepMarks, "sweepMarks");
    Objects.requireNonNull(cancelBudget, "cancelBudget");
    if (cancelBudget.isNegative() || cancelBudget.isZero()) {
      throw new IllegalArgumentException("cancelBudget must be positive");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    if (initialPollInterval.isNegative() || initialPollInterval.isZero()
        || maxPollInterval.compareTo(initialPollInterval) < 0) {
      throw new IllegalArgumentException("poll intervals must be positive with max >= initial, were "
          + initialPollInterval + " and " + maxPollInterval);
    }
  }

  /**
   * System clock, real sleeping, secure random names, 16 calls in flight, polls from 250 ms up to 3 s, 15 min
   * boot timeout, sweep marks in memory, 6 s to clean up after a cancel.
   */
  public static FleetOptions defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options (same store, same listeners). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** These options with another clock and sleeper (use the same pair for the GitHub client). */
  public FleetOptions withClock(Clock newClock, Sleeper newSleeper) {
    return toBuilder().clock(newClock).sleeper(newSleeper).build();
  }

  public FleetOptions withRandom(Random newRandom) {
    return toBuilder().random(newRandom).build();
  }

  /** These options with one more listener, after those already there. */
  public FleetOptions withListener(FleetListener listener) {
    return toBuilder().listener(listener).build();
  }

  public FleetOptions withParallelism(int newParallelism) {
    return toBuilder().parallelism(newParallelism).build();
  }

  public FleetOptions withPolling(Duration initial, Duration max) {
    return toBuilder().polling(initial, max).build();
  }

  public FleetOptions withBootTimeout(Duration newBootTimeout) {
    return toBuilder().bootTimeout(newBootTimeout).build();
  }

  public FleetOptions withCancelBudget(Duration newCancelBudget) {
    return toBuilder().cancelBudget(newCancelBudget).build();
  }

  /** These options with another sweep mark store, for example one that persists marks. */
  public FleetOptions withSweepMarks(SweepMarkStore store) {
    return toBuilder().sweepMarks(store).build();
  }

  /**
   * Builds {@link FleetOptions}; every field starts at its {@link #defaults()} value, and
   * {@link #build()} checks them. Not thread-safe.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Random random;
    private final List<FleetListener> listeners = new ArrayList<>();
    // 16: a batch of 50 registers and launches in 4 waves instead of 7 (issue 13, S5), well under GitHub's 100
    // concurrent requests and ECS's RunTask burst.
    private int parallelism = 16;
    private Duration initialPollInterval = Duration.ofMillis(250);
    private Duration maxPollInterval = Duration.ofSeconds(3);
    private Duration bootTimeout = Duration.ofMinutes(15);
    private SweepMarkStore sweepMarks;
    private Duration cancelBudget = DEFAULT_CANCEL_BUDGET;

    private Builder() {}

    private Builder(FleetOptions from) {
      clock = from.clock;
      sleeper = from.sleeper;
      random = from.random;
      listeners.addAll(from.listeners);
      parallelism = from.parallelism;
      initialPollInterval = from.initialPollInterval;
      maxPollInterval = from.maxPollInterval;
      bootTimeout = from.bootTimeout;
      sweepMarks = from.sweepMarks;
      cancelBudget = from.cancelBudget;
    }

    /** The time source (default the system UTC clock); give the GitHub client the same one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the fleet waits (default real sleeping); give the GitHub client the same one. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The source of batch labels and runner names (default a new {@link SecureRandom}); seed it in tests. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Adds a progress listener, after those already added. */
    public Builder listener(FleetListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Replaces every listener with these. */
    public Builder listeners(List<FleetListener> all) {
      listeners.clear();
      all.forEach(this::listener);
      return this;
    }

    /** The most cloud calls in flight at once (default 8). */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /** The first (and fast-phase) and the longest wait between polls (default 250 ms and 3 s). */
    public Builder polling(Duration initial, Duration max) {
      this.initialPollInterval = initial;
      this.maxPollInterval = max;
      return this;
    }

    /** How long a container may run without its runner online before the sweep marks it (default 15 min). */
    public Builder bootTimeout(Duration bootTimeout) {
      this.bootTimeout = bootTimeout;
      return this;
    }

    /** Where the sweep keeps its marks (default a new in-memory {@link SweepMarks}). */
    public Builder sweepMarks(SweepMarkStore sweepMarks) {
      this.sweepMarks = Objects.requireNonNull(sweepMarks, "sweepMarks");
      return this;
    }

    /** How long a cancelled start may spend cleaning up (default {@link #DEFAULT_CANCEL_BUDGET}). */
    public Builder cancelBudget(Duration cancelBudget) {
      this.cancelBudget = cancelBudget;
      return this;
    }

    /**
     * Checks and builds the options.
     *
     * @throws NullPointerException or IllegalArgumentException naming the field that is missing or out of range
     */
    public FleetOptions build() {
      return new FleetOptions(clock, sleeper, random != null ? random : new SecureRandom(), listeners, parallelism,
          initialPollInterval, maxPollInterval, bootTimeout, sweepMarks != null ? sweepMarks : new SweepMarks(),
          cancelBudget);
    }
  }
}
