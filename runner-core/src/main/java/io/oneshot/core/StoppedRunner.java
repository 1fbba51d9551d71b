package io.oneshot.core;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One runner of a stopped batch.
 *
 * @param runnerName the runner's name
 * @param githubRunnerId its registration, when GitHub still had one
 * @param resourceId its container, when the cloud still had one
 * @param action what was done
 * @param detail why, in words
 */
public record StoppedRunner(String runnerName, OptionalLong githubRunnerId, Optional<String> resourceId,
    StopAction action, String detail) {}
