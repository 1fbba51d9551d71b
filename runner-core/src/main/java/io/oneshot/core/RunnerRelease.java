package io.oneshot.core;

import io.oneshot.github.DeleteOutcome;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases one runner the way every oneshot path does (stop, timeout, failure, cancel): delete its
 * registration first; if GitHub answers that it is running a job, leave registration and container
 * alone (unless forced); otherwise terminate its container, also when GitHub could not be asked. Says
 * exactly what happened. Blocks on GitHub and the cloud; thread-safe; repeating it is harmless.
 */
final class RunnerRelease {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerRelease.class);

  private final RunnerLauncher launcher;
  private final EventSink events;

  RunnerRelease(RunnerLauncher launcher, EventSink events) {
    this.launcher = launcher;
    this.events = events;
  }

  /**
   * @param delete deletes the registration; empty when GitHub could not be asked (its list failed)
   * @param container the runner's live container, when one is known
   * @param force whether to stop a runner that is running a job
   * @param reason why, for the cloud's stop reason and the events
   */
  StoppedRunner release(String runnerName, OptionalLong githubRunnerId, Optional<Supplier<DeleteOutcome>> delete,
      Optional<LaunchedRunner> container, boolean force, String reason) {
    Optional<String> resourceId = container.map(LaunchedRunner::resourceId);
    DeleteOutcome deleted = null;
    String failure = "its runner list failed";
    if (delete.isPresent()) {
      try {
        deleted = delete.get().get();
      } catch (RuntimeException e) {
        LOG.warn("could not delete the registration of {}: {}", runnerName, e.getMessage());
        failure = "delete failed: " + e.getMessage();
      }
    }
    if (deleted == DeleteOutcome.BUSY && !force) {
      events.emit(runnerName, FleetPhase.LEFT_BUSY, "running a job: left alone");
      return new StoppedRunner(runnerName, githubRunnerId, resourceId, StopAction.LEFT_BUSY,
          "running a job; registration and container left alone");
    }
    String registration;
    if (deleted == null) {
      registration = "GitHub could not be asked (" + failure + "): registration state unknown";
    } else if (deleted == DeleteOutcome.BUSY) {
      registration = "running a job, stopped because the stop was forced (GitHub drops the offline registration;"
          + " the sweep deletes it if not)";
    } else {
      registration = deleted == DeleteOutcome.DELETED ? "registration deleted" : "registration already gone";
      events.emit(runnerName, FleetPhase.DEREGISTERED, registration);
    }
    StopAction done = deleted == null ? StopAction.REGISTRATION_UNKNOWN
        : deleted == DeleteOutcome.BUSY ? StopAction.FORCED : StopAction.STOPPED;
    if (container.isEmpty()) {
      return new StoppedRunner(runnerName, githubRunnerId, resourceId,
          done == StopAction.STOPPED ? StopAction.DEREGISTERED : done, registration + "; no live container");
    }
    try {
      launcher.terminate(container.get(), reason);
    } catch (RuntimeException e) {
      LOG.warn("could not terminate {}: {}", container.get().resourceId(), e.getMessage());
      return new StoppedRunner(runnerName, githubRunnerId, resourceId, StopAction.TERMINATE_FAILED,
          registration + "; terminating the container failed (" + e.getMessage() + "), it may still run");
    }
    events.emit(container.get().tag(OwnershipTags.RUNNER).orElse(runnerName), FleetPhase.TERMINATED, reason);
    return new StoppedRunner(runnerName, githubRunnerId, resourceId, done, registration + ", container terminated");
  }
}
