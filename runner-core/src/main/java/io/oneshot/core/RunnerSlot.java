package io.oneshot.core;

import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchedRunner;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One runner of a batch across its attempts: its current registration and container and where it
 * stands. Touched mostly by one thread at a time (the launch task, then the wait loop); synchronised
 * because a cancelled start reads it while a launch in flight may still finish.
 */
final class RunnerSlot {
  enum State { PENDING, LAUNCHED, ONLINE, FAILED, TIMED_OUT }

  private State state = State.PENDING;
  private String runnerName;
  private OptionalLong githubRunnerId = OptionalLong.empty();
  private LaunchedRunner container;
  private int attempts;
  private int capacityOption;
  private FailureKind failure;
  private String reason = "";
  private Duration timeToOnline;
  private boolean runningReported;
  private boolean released;

  /** A slot with the name planned for its first attempt. */
  RunnerSlot(String plannedName) {
    this.runnerName = plannedName;
  }

  synchronized State state() {
    return state;
  }

  synchronized String runnerName() {
    return runnerName;
  }

  synchronized OptionalLong githubRunnerId() {
    return githubRunnerId;
  }

  synchronized Optional<LaunchedRunner> container() {
    return Optional.ofNullable(container);
  }

  synchronized int attempts() {
    return attempts;
  }

  synchronized int capacityOption() {
    return capacityOption;
  }

  /** A new attempt begins: its registration replaces the last one, its container is not launched yet. */
  synchronized void beginAttempt(Registration registration, int option) {
    attempts++;
    runnerName = registration.runnerName();
    githubRunnerId = registration.githubRunnerId();
    capacityOption = option;
    container = null;
    runningReported = false;
    released = false;
    state = State.PENDING;
  }

  /** The current attempt's registration and container were released (before a retry). */
  synchronized void released() {
    released = true;
  }

  /** Whether the current attempt still has a registration (and maybe a container) to clean up. */
  synchronized boolean holdsResources() {
    return attempts > 0 && !released;
  }

  synchronized void launched(LaunchedRunner launched) {
    container = launched;
    state = State.LAUNCHED;
  }

  /** Keeps the container's private IP once the cloud reports it. */
  synchronized void learnPrivateIp(Optional<String> ip) {
    if (container != null && container.privateIp().isEmpty() && ip.isPresent()) {
      container = container.withPrivateIp(ip.get());
    }
  }

  synchronized void online(Duration after) {
    state = State.ONLINE;
    timeToOnline = after;
  }

  synchronized void failed(FailureKind kind, String why) {
    state = State.FAILED;
    failure = kind;
    reason = why;
  }

  synchronized void timedOut(String why) {
    state = State.TIMED_OUT;
    reason = why;
  }

  /** True once per attempt: whether RUNNING should be reported now. */
  synchronized boolean firstTimeRunning() {
    boolean first = !runningReported;
    runningReported = true;
    return first;
  }

  synchronized RunnerOutcome outcome(boolean waited) {
    OutcomeKind kind = switch (state) {
      case ONLINE -> OutcomeKind.ONLINE;
      case FAILED -> OutcomeKind.FAILED;
      case TIMED_OUT -> OutcomeKind.TIMED_OUT;
      case PENDING, LAUNCHED -> waited ? OutcomeKind.TIMED_OUT : OutcomeKind.LAUNCHED;
    };
    return new RunnerOutcome(runnerName, kind, githubRunnerId, container(), Optional.ofNullable(failure), reason,
        attempts, Optional.ofNullable(timeToOnline));
  }
}
