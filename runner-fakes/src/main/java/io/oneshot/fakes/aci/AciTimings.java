package io.oneshot.fakes.aci;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link FakeAci} container group spends in each phase, on the fake's clock. After the PUT
 * its {@code provisioningState} is {@code Pending} ({@code pending}), then {@code Creating} while the
 * image is pulled ({@code pulling}), then {@code Succeeded} with the container {@code Running}; the
 * runner comes online {@code bootDelay} later. A DELETE shows {@code Deleting} for {@code deleting},
 * then the group is gone (404). An immutable value; every duration must be non-negative.
 */
public record AciTimings(Duration pending, Duration pulling, Duration bootDelay, Duration deleting) {

  public AciTimings {
    for (Duration d : new Duration[] {pending, pulling, bootDelay, deleting}) {
      Objects.requireNonNull(d, "durations must not be null");
      if (d.isNegative()) {
        throw new IllegalArgumentException("durations must not be negative: " + d);
      }
    }
  }

  /** 3 s pending, 4 s pulling, runner online 3 s after the container runs, 2 s deleting. */
  public static AciTimings defaults() {
    return new AciTimings(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(2));
  }

  /** From the PUT to the container running. */
  public Duration untilRunning() {
    return pending.plus(pulling);
  }
}
