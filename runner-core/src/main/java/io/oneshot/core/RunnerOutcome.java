package io.oneshot.core;

import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchedRunner;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one runner of a batch.
 *
 * @param runnerName the name of its last attempt
 * @param kind online, launched, failed or timed out
 * @param githubRunnerId GitHub's id of its last registration, when known
 * @param container its last container, when one was launched
 * @param failure the failure kind when it failed
 * @param reason why it failed or timed out (stop code and message), empty when online
 * @param attempts how many containers were tried
 * @param timeToOnline from the start of the batch to online, when it got there
 */
public record RunnerOutcome(
    String runnerName,
    OutcomeKind kind,
    OptionalLong githubRunnerId,
    Optional<LaunchedRunner> container,
    Optional<FailureKind> failure,
    String reason,
    int attempts,
    Optional<Duration> timeToOnline) {

  public RunnerOutcome {
    Objects.requireNonNull(runnerName, "runnerName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(githubRunnerId, "githubRunnerId");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(timeToOnline, "timeToOnline");
  }
}
