package io.oneshot.backend.ecs;

import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import java.util.Locale;
import java.util.Optional;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Maps an ECS task to the portable {@link ContainerStatus}: {@code lastStatus} through the whole
 * lifecycle, {@code stopCode}, {@code stoppedReason} and the runner container's exit code (which container
 * that is: {@link #runnerContainer}) to a
 * {@link FailureKind}, raw strings kept. Stateless.
 */
final class TaskStatusMapper {
  private TaskStatusMapper() {}

  static ContainerStatus map(Task task, String containerName) {
    return map(task, Optional.of(containerName));
  }

  /**
   * @param containerName the runner's container when the launcher knows it (it resolved it to launch);
   *     empty for a stop/sweep/status launcher, which then finds it as {@link #runnerContainer} says
   */
  static ContainerStatus map(Task task, Optional<String> containerName) {
    return status(task, runnerContainer(task, containerName)).withPrivateIp(privateIp(task));
  }

  /**
   * The container whose exit code is the runner's: the named one when known; else the one oneshot's RunTask
   * override named (the only container override oneshot sends carries the runner's environment, and
   * DescribeTasks returns it); else the task's only container; else the first whose non-zero exit code
   * explains the stop, else the first with an exit code. Empty when none of these is there.
   */
  static Optional<Container> runnerContainer(Task task, Optional<String> known) {
    Optional<String> name = known.or(() -> task.overrides() == null ? Optional.empty()
        : task.overrides().containerOverrides().stream().filter(o -> o.name() != null && !o.environment().isEmpty())
            .map(ContainerOverride::name).findFirst());
    if (name.isPresent()) {
      return task.containers().stream().filter(c -> name.get().equals(c.name())).findFirst();
    }
    if (task.containers().size() == 1) {
      return Optional.of(task.containers().get(0));
    }
    return task.containers().stream().filter(c -> c.exitCode() != null && c.exitCode() != 0).findFirst()
        .or(() -> task.containers().stream().filter(c -> c.exitCode() != null).findFirst());
  }

  /** The private IP of the task's elastic network interface, once attached. */
  static Optional<String> privateIp(Task task) {
    return task.attachments().stream().map(Attachment::details).flatMap(List::stream)
        .filter(detail -> "privateIPv4Address".equals(detail.name()) && detail.value() != null)
        .map(KeyValuePair::value).findFirst();
  }

  private static ContainerStatus status(Task task, Optional<Container> runner) {
    String last = task.lastStatus() == null ? "UNKNOWN" : task.lastStatus();
    Optional<Integer> exitCode = runner.map(Container::exitCode);
    String stopCode = task.stopCodeAsString();
    String reason = (stopCode == null ? "" : stopCode + ": ") + (task.stoppedReason() == null ? "" : task.stoppedReason());
    switch (last) {
      case "PROVISIONING":
      case "PENDING":
      case "ACTIVATING":
        return ContainerStatus.of(ContainerState.PENDING, last);
      case "RUNNING":
        return ContainerStatus.of(ContainerState.RUNNING, last);
      case "DEACTIVATING":
      case "STOPPING":
      case "DEPROVISIONING":
      case "STOPPED":
        return new ContainerStatus(ContainerState.STOPPED, last, exitCode, reason.trim(),
            failure(stopCode, task.stoppedReason(), exitCode));
      default:
        return new ContainerStatus(ContainerState.UNRECOGNIZED, last, exitCode, reason.trim(), Optional.empty());
    }
  }

  /** The portable failure of a stopped task; empty for a clean exit or a stop someone asked for. */
  static Optional<FailureKind> failure(String stopCode, String stoppedReason, Optional<Integer> exitCode) {
    String reason = stoppedReason == null ? "" : stoppedReason.toLowerCase(Locale.ROOT);
    if (stopCode == null) {
      return exitCode.filter(code -> code != 0).map(code -> FailureKind.EXITED);
    }
    switch (stopCode) {
      case "TaskFailedToStart":
        if (reason.contains("cannotpullcontainer") || reason.contains("pull image")
            || reason.contains("registry auth")) {
          return Optional.of(FailureKind.IMAGE_PULL);
        }
        if (isCapacity(reason)) {
          return Optional.of(FailureKind.CAPACITY);
        }
        if (reason.contains("accessdenied") || reason.contains("not authorized")) {
          return Optional.of(FailureKind.PERMISSION);
        }
        return Optional.of(FailureKind.CONFIGURATION);
      case "SpotInterruption":
      case "TerminationNotice":
        return Optional.of(FailureKind.CAPACITY);
      case "EssentialContainerExited":
        return exitCode.filter(code -> code == 0).isPresent() ? Optional.empty() : Optional.of(FailureKind.EXITED);
      case "UserInitiated":
      case "ServiceSchedulerInitiated":
        return Optional.empty();
      default:
        return Optional.of(FailureKind.UNKNOWN);
    }
  }

  /** Reasons ECS gives when there is no capacity (Fargate, Spot, EC2 placement, capacity providers). */
  static boolean isCapacity(String lowerCaseReason) {
    return lowerCaseReason.contains("capacity is unavailable") || lowerCaseReason.startsWith("resource:")
        || lowerCaseReason.contains("empty capacity provider") || lowerCaseReason.contains("insufficient")
        || lowerCaseReason.contains("no container instances") || lowerCaseReason.contains("capacity limit exceeded");
  }
}
