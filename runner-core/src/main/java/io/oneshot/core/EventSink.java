package io.oneshot.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stamps events with the time since an operation began and hands them to the listeners. Thread-safe. */
final class EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

  private final Clock clock;
  private final Instant started;
  private final List<FleetListener> listeners;

  EventSink(Clock clock, List<FleetListener> listeners) {
    this.clock = clock;
    this.started = clock.instant();
    this.listeners = listeners;
  }

  Instant started() {
    return started;
  }

  Duration elapsed() {
    return Duration.between(started, clock.instant());
  }

  void emit(String runnerName, FleetPhase phase, String detail) {
    FleetEvent event = new FleetEvent(runnerName, phase, elapsed(), detail);
    LOG.debug("{} {} {}", runnerName, phase, detail);
    for (FleetListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("a fleet listener failed on {} {}: {}", runnerName, phase, e.toString());
      }
    }
  }
}
