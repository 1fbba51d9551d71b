package io.oneshot.core;

/**
 * Receives progress events. Called from the fleet's worker threads, so implementations must be
 * thread-safe and quick; an exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface FleetListener {
  void onEvent(FleetEvent event);
}
