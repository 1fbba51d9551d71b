package io.oneshot.core;

import java.time.Duration;

/**
 * One step of one runner.
 *
 * @param runnerName the runner (or container) concerned
 * @param phase what happened
 * @param elapsed time since the operation (start, stop or sweep) began
 * @param detail a short human explanation, never a secret
 */
public record FleetEvent(String runnerName, FleetPhase phase, Duration elapsed, String detail) {}
