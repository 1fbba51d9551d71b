package io.oneshot.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A listener that holds the fleet at the first event matching a predicate (after running an action on
 * it) until the test, on its own thread, lets it go: so a test can cancel a start at a known point.
 */
final class FleetGate implements FleetListener {
  private final Predicate<FleetEvent> when;
  private final Consumer<FleetEvent> atGate;
  private final AtomicBoolean used = new AtomicBoolean();
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch proceed = new CountDownLatch(1);

  FleetGate(Predicate<FleetEvent> when, Consumer<FleetEvent> atGate) {
    this.when = when;
    this.atGate = atGate;
  }

  FleetGate(Predicate<FleetEvent> when) {
    this(when, event -> {});
  }

  @Override
  public void onEvent(FleetEvent event) {
    if (!when.test(event) || !used.compareAndSet(false, true)) {
      return;
    }
    atGate.accept(event);
    reached.countDown();
    try {
      proceed.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the cancel itself: keep the flag for the fleet to see
    }
  }

  /** Waits (real time, briefly) until the fleet is held at the gate. */
  void awaitReached() throws InterruptedException {
    if (!reached.await(5, TimeUnit.SECONDS)) {
      throw new AssertionError("the fleet never reached the gate");
    }
  }

  void release() {
    proceed.countDown();
  }

  static Duration realTime(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
