package io.oneshot.fakes.aci.internal;

import io.oneshot.fakes.aci.AciTimings;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One container group: what the PUT asked for, and its lifecycle computed lazily from the clock.
 * {@code provisioningState} goes Pending → Creating (image pull) → Succeeded, when the runner container
 * starts; the container runs until its process exits ({@code Terminated} with the exit code, group
 * state {@code Succeeded} or {@code Failed}). A fault may end provisioning in {@code Failed} instead.
 * DELETE stops the process and shows {@code Deleting} until the group is gone. Nothing happens until
 * the group is observed; no timers. Thread-safe (synchronised).
 */
public final class GroupRecord {
  /** One instance-view event. */
  public record Event(String name, String type, String message, Instant at) {}

  /** The group as observed at one instant; {@code gone} once deleted. */
  public record View(boolean gone, String provisioningState, String groupState, String containerState,
      String detailStatus, Instant startTime, Instant finishTime, Optional<Integer> exitCode,
      List<Event> containerEvents, List<Event> groupEvents, String failureCode, String failureMessage) {}

  private final String id;
  private final String resourceGroup;
  private final String name;
  private final GroupSpec spec;
  private final Instant createdAt;
  private final AciTimings timings;
  private final FaultPlan.Fate fate;
  private final SimulatedContainer container;
  private final String privateIp;
  private final String createOperationId;
  private Instant deleteStartedAt;
  private String deleteOperationId;
  private boolean forgotten;

  public GroupRecord(String id, String resourceGroup, String name, GroupSpec spec, Instant createdAt,
      AciTimings timings, FaultPlan.Fate fate, SimulatedContainer container, String privateIp,
      String createOperationId) {
    this.id = id;
    this.resourceGroup = resourceGroup;
    this.name = name;
    this.spec = spec;
    this.createdAt = createdAt;
    this.timings = timings;
    this.fate = fate;
    this.container = container;
    this.privateIp = privateIp;
    this.createOperationId = createOperationId;
  }

  public String id() {
    return id;
  }

  public String resourceGroup() {
    return resourceGroup;
  }

  public String name() {
    return name;
  }

  public GroupSpec spec() {
    return spec;
  }

  public String privateIp() {
    return privateIp;
  }

  public String createOperationId() {
    return createOperationId;
  }

  public synchronized Optional<String> deleteOperationId() {
    return Optional.ofNullable(deleteOperationId);
  }

  public synchronized boolean forgotten() {
    return forgotten;
  }

  public synchronized void forget() {
    forgotten = true;
  }

  /** Whether the group still exists at {@code now} (not forgotten, not past its deletion). */
  public synchronized boolean exists(Instant now) {
    return !forgotten && !observe(now).gone();
  }

  /** Whether a DELETE has started. */
  public synchronized boolean deleting() {
    return deleteStartedAt != null;
  }

  /** Starts deleting now (SIGTERM to a running process); returns the delete operation id. Idempotent. */
  public synchronized String delete(Instant now, String operationId) {
    if (deleteStartedAt == null) {
      deleteStartedAt = now;
      deleteOperationId = operationId;
      if (container != null) {
        container.stop();
      }
    }
    return deleteOperationId;
  }

  /** The runner process once the container has started it. */
  public synchronized Optional<SimulatedRunner> runner(Instant now) {
    if (container == null || now.isBefore(runningAt()) || failsProvisioning()) {
      return Optional.empty();
    }
    return container.runner();
  }

  private Instant runningAt() {
    return createdAt.plus(timings.untilRunning());
  }

  private boolean failsProvisioning() {
    return fate instanceof FaultPlan.ImagePullFailure || fate instanceof FaultPlan.CapacityAfterAccept;
  }

  /** The group as the PUT's 201 shows it: accepted, {@code Pending}, nothing running yet (however short the timings). */
  public View accepted() {
    return new View(false, "Pending", null, null, null, null, null, Optional.empty(), List.of(), List.of(), null, null);
  }

  /** The group as of {@code now}. */
  public synchronized View observe(Instant now) {
    Instant creatingAt = createdAt.plus(timings.pending());
    Instant runningAt = runningAt();
    boolean deleting = deleteStartedAt != null && !now.isBefore(deleteStartedAt);
    if (deleting && !now.isBefore(deleteStartedAt.plus(timings.deleting()))) {
      return new View(true, "Deleted", null, null, null, null, null, Optional.empty(), List.of(), List.of(), null,
          null);
    }
    Instant effective = deleting ? deleteStartedAt : now;
    List<Event> events = new ArrayList<>();
    String image = spec.image();
    View base;
    if (fate instanceof FaultPlan.CapacityAfterAccept && !effective.isBefore(creatingAt)) {
      String message = "The requested resource is not available in the location '" + spec.location() + "' at this"
          + " moment. Please retry with a different resource request or in another location. Resource requested: '"
          + trim(spec.cpu()) + "' CPU '" + trim(spec.memoryInGb()) + "' GB memory '" + spec.osType() + "' OS"
          + (spec.subnetIds().isEmpty() ? "" : " virtual network");
      base = new View(false, "Failed", "Pending", null, null, null, null, Optional.empty(), List.of(),
          List.of(new Event("InsufficientCapacity", "Warning", message, creatingAt)), "InsufficientCapacity", message);
    } else if (effective.isBefore(creatingAt)) {
      base = new View(false, "Pending", null, null, null, null, null, Optional.empty(), List.of(), List.of(), null, null);
    } else if (effective.isBefore(runningAt)) {
      events.add(new Event("Pulling", "Normal", "pulling image \"" + image + "\"", creatingAt));
      base = new View(false, "Creating", "Pending", "Waiting", "", null, null, Optional.empty(), events, List.of(),
          null, null);
    } else if (fate instanceof FaultPlan.ImagePullFailure) {
      events.add(new Event("Pulling", "Normal", "pulling image \"" + image + "\"", creatingAt));
      String message = "Failed to pull image \"" + image + "\": rpc error: code = NotFound desc = failed to pull and"
          + " unpack image \"" + image + "\": failed to resolve reference \"" + image + "\": " + image + ": not found";
      events.add(new Event("Failed", "Warning", message, runningAt));
      events.add(new Event("BackOff", "Normal", "Back-off pulling image \"" + image + "\"", runningAt));
      base = new View(false, "Failed", "Pending", "Waiting", "", null, null, Optional.empty(), events, List.of(),
          "InaccessibleImage", "The image '" + image + "' in container group '" + name + "' is not accessible."
          + " Please check the image and registry credential.");
    } else {
      events.add(new Event("Pulling", "Normal", "pulling image \"" + image + "\"", creatingAt));
      events.add(new Event("Pulled", "Normal", "Successfully pulled image \"" + image + "\"", runningAt));
      events.add(new Event("Started", "Normal", "Started container", runningAt));
      SimulatedContainer.Phase phase = container == null ? SimulatedContainer.Phase.RUNNING : container.phase();
      if (phase == SimulatedContainer.Phase.EXITED) {
        int exit = container.exitCode().orElse(SimulatedRunner.SIGTERM_EXIT_CODE);
        Instant finished = container.exitedAt().orElse(effective);
        if (finished.isBefore(runningAt)) {
          finished = runningAt;
        }
        base = new View(false, "Succeeded", exit == 0 ? "Succeeded" : "Failed", "Terminated",
            exit == 0 ? "Completed" : "Error", runningAt, finished, Optional.of(exit), events, List.of(), null, null);
      } else {
        base = new View(false, "Succeeded", "Running", "Running", "", runningAt, null, Optional.empty(), events,
            List.of(), null, null);
      }
    }
    if (!deleting) {
      return base;
    }
    // Deleting: the process got SIGTERM at deleteStartedAt; what it ran into shows as terminated.
    String containerState = base.containerState() == null ? null : "Terminated";
    Optional<Integer> exit = base.exitCode().isPresent() ? base.exitCode()
        : "Running".equals(base.containerState()) ? Optional.of(SimulatedRunner.SIGTERM_EXIT_CODE) : Optional.empty();
    return new View(false, "Deleting", base.groupState() == null ? null : "Stopped", containerState,
        containerState == null ? null : "Killed", base.startTime(),
        containerState == null ? null : (base.finishTime() != null ? base.finishTime() : deleteStartedAt), exit,
        base.containerEvents(), base.groupEvents(), base.failureCode(), base.failureMessage());
  }

  /** The state of the create operation: InProgress, Succeeded, Failed or Canceled. */
  public synchronized String createStatus(Instant now) {
    View view = observe(now);
    if (view.failureCode() != null) {
      return "Failed";
    }
    if (deleteStartedAt != null && deleteStartedAt.isBefore(runningAt())) {
      return "Canceled";
    }
    return !now.isBefore(runningAt()) ? "Succeeded" : "InProgress";
  }

  static String trim(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
