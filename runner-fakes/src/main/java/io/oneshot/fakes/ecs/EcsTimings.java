package io.oneshot.fakes.ecs;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link FakeEcs} task spends in each lifecycle phase, on the fake's clock. A task's
 * {@code lastStatus} goes PROVISIONING ({@code provisioning}) → PENDING ({@code pending}) → ACTIVATING
 * ({@code activating}, the image pull) → RUNNING, where the runner comes online {@code bootDelay} later;
 * once it stops: DEACTIVATING ({@code deactivating}) → STOPPING ({@code stopping}) → DEPROVISIONING
 * ({@code deprovisioning}) → STOPPED. An immutable value; every duration must be non-negative.
 */
public record EcsTimings(Duration provisioning, Duration pending, Duration activating, Duration bootDelay,
    Duration deactivating, Duration stopping, Duration deprovisioning) {

  public EcsTimings {
    for (Duration d : new Duration[] {provisioning, pending, activating, bootDelay, deactivating, stopping,
        deprovisioning}) {
      Objects.requireNonNull(d, "durations must not be null");
      if (d.isNegative()) {
        throw new IllegalArgumentException("durations must not be negative: " + d);
      }
    }
  }

  /** 2 s provisioning, 2 s pending, 3 s activating, runner online 3 s after RUNNING, 1 s per stopping phase. */
  public static EcsTimings defaults() {
    return new EcsTimings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  /** Every phase and the boot take no time: RUNNING (and online) at once, STOPPED as soon as stopping starts. */
  public static EcsTimings instant() {
    return new EcsTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
        Duration.ZERO);
  }

  /** From creation to RUNNING. */
  public Duration untilRunning() {
    return provisioning.plus(pending).plus(activating);
  }

  /** From the start of stopping to STOPPED. */
  public Duration untilStopped() {
    return deactivating.plus(stopping).plus(deprovisioning);
  }
}
