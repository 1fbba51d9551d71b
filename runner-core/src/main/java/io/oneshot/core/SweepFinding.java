package io.oneshot.core;

/**
 * One thing the sweep found.
 *
 * @param kind what it was and what was done
 * @param runnerName the runner concerned
 * @param resourceId the container, empty when there is none
 * @param detail a short explanation
 */
public record SweepFinding(SweepActionKind kind, String runnerName, String resourceId, String detail) {}
