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
 * names, listeners, parallelism, polling bounds, the sweep's boot timeout and its marks.
 *
 * @param clock the time source
 * @param sleeper how the fleet waits between polls
 * @param random the source of batch labels and runner names
 * @param listeners progress listeners
 * @param parallelism the most cloud calls in flight at once
 * @param initialPollInterval the first wait between polls (about a second: runners should be seen online fast)
 * @param maxPollInterval the longest wait between polls (unless the rate-limit budget needs longer)
 * @param bootTimeout how long a container may run without its runner online before the sweep marks it
 * @param sweepMarks the marks the sweep keeps between passes
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
    SweepMarks sweepMarks,
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
  }

  /**
   * System clock, real sleeping, secure random names, 8 calls in flight, polls from 1 s up to 3 s, 15 min
   * boot timeout, 6 s to clean up after a cancel.
   */
  public static FleetOptions defaults() {
    return new FleetOptions(Clock.systemUTC(), Sleeper.system(), new SecureRandom(), List.of(), 8,
        Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMinutes(15), new SweepMarks(),
        DEFAULT_CANCEL_BUDGET);
  }

  public FleetOptions withClock(Clock newClock, Sleeper newSleeper) {
    return new FleetOptions(newClock, newSleeper, random, listeners, parallelism, initialPollInterval,
        maxPollInterval, bootTimeout, sweepMarks, cancelBudget);
  }

  public FleetOptions withRandom(Random newRandom) {
    return new FleetOptions(clock, sleeper, newRandom, listeners, parallelism, initialPollInterval,
        maxPollInterval, bootTimeout, sweepMarks, cancelBudget);
  }

  public FleetOptions withListener(FleetListener listener) {
    List<FleetListener> more = new ArrayList<>(listeners);
    more.add(listener);
    return new FleetOptions(clock, sleeper, random, more, parallelism, initialPollInterval, maxPollInterval,
        bootTimeout, sweepMarks, cancelBudget);
  }

  public FleetOptions withParallelism(int newParallelism) {
    return new FleetOptions(clock, sleeper, random, listeners, newParallelism, initialPollInterval,
        maxPollInterval, bootTimeout, sweepMarks, cancelBudget);
  }

  public FleetOptions withPolling(Duration initial, Duration max) {
    return new FleetOptions(clock, sleeper, random, listeners, parallelism, initial, max, bootTimeout, sweepMarks,
        cancelBudget);
  }

  public FleetOptions withBootTimeout(Duration newBootTimeout) {
    return new FleetOptions(clock, sleeper, random, listeners, parallelism, initialPollInterval, maxPollInterval,
        newBootTimeout, sweepMarks, cancelBudget);
  }

  public FleetOptions withCancelBudget(Duration newCancelBudget) {
    return new FleetOptions(clock, sleeper, random, listeners, parallelism, initialPollInterval, maxPollInterval,
        bootTimeout, sweepMarks, newCancelBudget);
  }
}
