package io.oneshot.fakes;

import io.oneshot.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to; shared by the fakes and the code under test, so timeouts,
 * expiries and rate-limit resets happen without real waiting. Thread-safe.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public static TestClock atEpochOfTests() {
    return new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves time on; non-negative durations only. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + duration);
    }
    now.accumulateAndGet(Instant.EPOCH, (current, ignored) -> current.plus(duration));
  }

  /**
   * A sleeper that advances this clock instead of blocking, then yields so other threads can see the
   * new time.
   */
  public Sleeper sleeper() {
    return duration -> {
      if (!duration.isNegative()) {
        advance(duration);
      }
      Thread.yield();
    };
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("TestClock is always UTC");
  }
}
