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
 *
 * <p>Its state only moves forward: PENDING (registering, or between attempts) → LAUNCHED → ONLINE,
 * FAILED or TIMED_OUT; a new attempt goes from PENDING or LAUNCHED back to PENDING; PENDING may also
 * end ONLINE (a runner found busy while released), FAILED or TIMED_OUT. ONLINE, FAILED and TIMED_OUT are
 * final; reporting ONLINE again is a no-op. Anything else is a bug and throws
 * {@link IllegalStateException}.
 */
final class RunnerSlot {
  /** Where a slot stands. */
  enum State {
    PENDING, LAUNCHED, ONLINE, FAILED, TIMED_OUT;

    /** Whether nothing more happens to the slot. */
    boolean isFinal() {
      return this == ONLINE || this == FAILED || this == TIMED_OUT;
    }
  }

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
    requireState("begin an attempt", State.PENDING, State.LAUNCHED);
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
    requireState("launch", State.PENDING);
    container = launched;
    state = State.LAUNCHED;
  }

  /** Keeps the container's private IP once the cloud reports it. */
  synchronized void learnPrivateIp(Optional<String> ip) {
    if (container != null && container.privateIp().isEmpty() && ip.isPresent()) {
      container = container.withPrivateIp(ip.get());
    }
  }

  /** The runner is online (or running a job); a second report keeps the first time. */
  synchronized void online(Duration after) {
    if (state == State.ONLINE) {
      return;
    }
    requireState("go online", State.PENDING, State.LAUNCHED);
    state = State.ONLINE;
    timeToOnline = after;
  }

  synchronized void failed(FailureKind kind, String why) {
    requireState("fail", State.PENDING, State.LAUNCHED);
    state = State.FAILED;
    failure = kind;
    reason = why;
  }

  synchronized void timedOut(String why) {
    requireState("time out", State.PENDING, State.LAUNCHED);
    state = State.TIMED_OUT;
    reason = why;
  }

  /** RUNNING was reported for this attempt. */
  synchronized void reportedRunning() {
    runningReported = true;
  }

  /** What the wait loop's {@link WaitDecision#decide} needs to know about this slot, read at once. */
  synchronized WaitDecision.SlotView view() {
    return new WaitDecision.SlotView(state, attempts, githubRunnerId.isPresent(), runningReported);
  }

  private void requireState(String action, State... allowed) {
    for (State ok : allowed) {
      if (state == ok) {
        return;
      }
    }
    throw new IllegalStateException("runner slot " + runnerName + " cannot " + action + " from " + state
        + " (attempt " + attempts + "); this is a bug in oneshot");
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
