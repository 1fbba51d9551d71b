package io.oneshot.fakes.cloudrun;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link FakeCloudRun} execution spends in each phase, on the fake's clock: pending while
 * resources are provisioned and the image is pulled ({@code provisioning}), then its task's container
 * runs and the runner comes online {@code bootDelay} later; a cancelled execution is cancelling for
 * {@code cancelling} before it is cancelled. An immutable value; durations are non-negative.
 */
public record CloudRunTimings(Duration provisioning, Duration bootDelay, Duration cancelling) {

  public CloudRunTimings {
    for (Duration d : new Duration[] {provisioning, bootDelay, cancelling}) {
      Objects.requireNonNull(d, "durations must not be null");
      if (d.isNegative()) {
        throw new IllegalArgumentException("durations must not be negative: " + d);
      }
    }
  }

  /** 8 s to start (Cloud Run jobs take seconds to provision), online 3 s later, 2 s to cancel. */
  public static CloudRunTimings defaults() {
    return new CloudRunTimings(Duration.ofSeconds(8), Duration.ofSeconds(3), Duration.ofSeconds(2));
  }

  /** Every phase takes no time. */
  public static CloudRunTimings instant() {
    return new CloudRunTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }
}
