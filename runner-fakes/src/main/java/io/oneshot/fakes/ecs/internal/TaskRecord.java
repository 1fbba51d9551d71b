package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.oneshot.fakes.ecs.EcsTimings;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One task: what RunTask asked for, and its lifecycle computed lazily from the clock. Status moves
 * PROVISIONING → PENDING → ACTIVATING → RUNNING by the timings from creation; stopping starts when
 * StopTask is called, when a planned fault fires, or when the runner process exits on its own, and
 * then runs DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED. Nothing happens until the task is
 * observed; no timers. Thread-safe (synchronised).
 */
public final class TaskRecord {
  /** Lifecycle statuses in order. */
  public static final List<String> STATUSES = List.of("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING",
      "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED");
  /** What a simulated process without a runner (no FakeGitHub) exits with on SIGTERM. */
  private static final int SIGTERM = SimulatedRunner.SIGTERM_EXIT_CODE;

  /** The task's elastic network interface (awsvpc tasks). */
  public record Eni(String attachmentId, String eniId, String mac, String privateIp, String privateDnsName,
      String subnetId, String availabilityZone) {}

  /**
   * What RunTask asked for, resolved.
   *
   * @param overrideEnvironment override environment by container name
   * @param runnerContainer the container whose process is the runner
   */
  public record Params(String cluster, String clusterArn, TaskDefinitions.Registered definition,
      Map<String, String> tags, String startedBy, String group, String launchType, String capacityProviderName,
      JsonNode overrides, Map<String, Map<String, String>> overrideEnvironment, String runnerContainer,
      String clientToken, List<String> subnets, List<String> securityGroups, String assignPublicIp,
      boolean enableExecuteCommand) {}

  /** A task planned to stop at a fixed time (a fault), with its stop code and reason. */
  public record PlannedStop(Instant at, String stopCode, String reason) {}

  /** The task as observed at one instant. */
  public record View(String lastStatus, String desiredStatus, Instant connectivityAt, Instant pullStartedAt,
      Instant pullStoppedAt, Instant startedAt, Instant stoppingAt, Instant executionStoppedAt, Instant stoppedAt,
      String stopCode, String stoppedReason, String runnerContainerStatus, Optional<Integer> runnerExitCode,
      String otherContainerStatus, Optional<Integer> otherExitCode, String eniStatus, long version) {}

  private final String arn;
  private final Params params;
  private final Eni eni;
  private final Map<String, String> containerArns;
  private final Instant createdAt;
  private final EcsTimings timings;
  private final PlannedStop plannedStop;
  private final SimulatedContainer container;
  private Instant stopStartedAt;
  private String stopCode;
  private String stoppedReason;
  private boolean forgotten;

  /**
   * @param container the runner process, started at RUNNING; null when there is no FakeGitHub or the task
   *     is planned to stop before it runs
   * @param plannedStop a fault that stops the task before it runs, or null
   */
  public TaskRecord(String arn, Params params, Eni eni, Map<String, String> containerArns, Instant createdAt,
      EcsTimings timings, PlannedStop plannedStop, SimulatedContainer container) {
    this.arn = arn;
    this.params = params;
    this.eni = eni;
    this.containerArns = Map.copyOf(containerArns);
    this.createdAt = createdAt;
    this.timings = timings;
    this.plannedStop = plannedStop;
    this.container = container;
  }

  public String arn() {
    return arn;
  }

  public String id() {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  public Params params() {
    return params;
  }

  public Eni eni() {
    return eni;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public String containerArn(String containerName) {
    return containerArns.get(containerName);
  }

  public synchronized boolean forgotten() {
    return forgotten;
  }

  public synchronized void forget() {
    forgotten = true;
  }

  /** When the task reaches RUNNING if nothing stops it first. */
  public Instant runningAt() {
    return createdAt.plus(timings.untilRunning());
  }

  /**
   * StopTask: starts stopping now with {@code UserInitiated} and SIGTERMs the runner. No-op when the task
   * is already stopping or stopped (it keeps its stop code and reason).
   */
  public synchronized void stop(Instant now, String reason) {
    catchUp(now);
    if (stopStartedAt != null) {
      return;
    }
    beginStopping(now, "UserInitiated", reason);
    if (container != null) {
      container.stop();
    }
  }

  /** The runner process, once the task has started running it. */
  public synchronized Optional<SimulatedRunner> runner(Instant now) {
    catchUp(now);
    if (container == null || !processStarted(now)) {
      return Optional.empty();
    }
    return container.runner();
  }

  /** The task as of {@code now}. */
  public synchronized View observe(Instant now) {
    catchUp(now);
    Instant pendingAt = createdAt.plus(timings.provisioning());
    Instant activatingAt = pendingAt.plus(timings.pending());
    Instant runningAt = runningAt();
    Instant endOfStart = stopStartedAt != null ? stopStartedAt : now;
    String status;
    if (stopStartedAt != null) {
      Instant stoppingPhase = stopStartedAt.plus(timings.deactivating());
      Instant deprovisioning = stoppingPhase.plus(timings.stopping());
      Instant stopped = deprovisioning.plus(timings.deprovisioning());
      status = now.isBefore(stoppingPhase) ? "DEACTIVATING" : now.isBefore(deprovisioning) ? "STOPPING"
          : now.isBefore(stopped) ? "DEPROVISIONING" : "STOPPED";
    } else {
      status = now.isBefore(pendingAt) ? "PROVISIONING" : now.isBefore(activatingAt) ? "PENDING"
          : now.isBefore(runningAt) ? "ACTIVATING" : "RUNNING";
    }
    int ordinal = STATUSES.indexOf(status);
    boolean stoppingOrLater = ordinal >= STATUSES.indexOf("STOPPING");
    Instant executionStoppedAt = null;
    Instant stoppedAt = null;
    if (stopStartedAt != null) {
      Instant deprovisioning = stopStartedAt.plus(timings.deactivating()).plus(timings.stopping());
      executionStoppedAt = now.isBefore(deprovisioning) ? null : deprovisioning;
      stoppedAt = "STOPPED".equals(status) ? stopStartedAt.plus(timings.untilStopped()) : null;
    }
    boolean started = processStarted(now);
    Optional<Integer> exitCode = Optional.empty();
    String runnerStatus;
    if (started) {
      exitCode = container != null ? container.exitCode() : stopStartedAt != null ? Optional.of(SIGTERM) : Optional.empty();
      runnerStatus = stoppingOrLater || exitCode.isPresent() ? "STOPPED" : "RUNNING";
      if (stoppingOrLater && exitCode.isEmpty()) {
        exitCode = Optional.of(SIGTERM);
      }
    } else {
      runnerStatus = stopStartedAt != null ? "STOPPED" : "PENDING";
    }
    String otherStatus = started ? (stoppingOrLater ? "STOPPED" : "RUNNING") : runnerStatus;
    Optional<Integer> otherExit = started && stoppingOrLater ? Optional.of(SIGTERM) : Optional.empty();
    String eniStatus = switch (status) {
      case "PROVISIONING" -> "PRECREATED";
      case "DEPROVISIONING" -> "DETACHING";
      case "STOPPED" -> "DELETED";
      default -> "ATTACHED";
    };
    return new View(status, stopStartedAt != null ? "STOPPED" : "RUNNING",
        before(pendingAt, endOfStart, now) ? pendingAt : null,
        before(activatingAt, endOfStart, now) ? activatingAt : null,
        reached(runningAt, endOfStart, now) ? runningAt : null,
        started ? runningAt : null,
        stopStartedAt, executionStoppedAt, stoppedAt, stopCode, stoppedReason, runnerStatus, exitCode, otherStatus,
        otherExit, eniStatus, ordinal + 1L);
  }

  /** Whether {@code at} passed strictly before the start phase ended, and by now. */
  private static boolean before(Instant at, Instant endOfStart, Instant now) {
    return !now.isBefore(at) && at.isBefore(endOfStart);
  }

  /** Whether {@code at} was reached by the end of the start phase, and by now. */
  private static boolean reached(Instant at, Instant endOfStart, Instant now) {
    return !now.isBefore(at) && !at.isAfter(endOfStart);
  }

  private boolean processStarted(Instant now) {
    Instant runningAt = runningAt();
    return plannedStop == null && !now.isBefore(runningAt)
        && (stopStartedAt == null || !stopStartedAt.isBefore(runningAt));
  }

  /** Applies whatever stopped the task by {@code now}: a planned fault, or the runner exiting on its own. */
  private void catchUp(Instant now) {
    if (stopStartedAt != null) {
      return;
    }
    if (plannedStop != null) {
      if (!now.isBefore(plannedStop.at())) {
        beginStopping(plannedStop.at(), plannedStop.stopCode(), plannedStop.reason());
      }
      return;
    }
    if (container != null && !now.isBefore(runningAt())
        && container.phase() == SimulatedContainer.Phase.EXITED) {
      Instant exitedAt = container.exitedAt().orElse(now);
      beginStopping(exitedAt.isBefore(runningAt()) ? runningAt() : exitedAt, "EssentialContainerExited",
          "Essential container in task exited");
    }
  }

  private void beginStopping(Instant at, String code, String reason) {
    stopStartedAt = at;
    stopCode = code;
    stoppedReason = reason;
  }
}
