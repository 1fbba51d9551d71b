package io.oneshot.backend.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerState;
import com.azure.resourcemanager.containerinstance.models.Event;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps a container group (GET) to the portable {@link ContainerStatus}: {@code provisioningState}, the
 * group's {@code instanceView.state}, the runner container's {@code currentState} (state, exit code,
 * detail status) and the instance-view events (image pull failures, insufficient capacity). The raw
 * status is {@code provisioningState/groupState/containerState}. Stateless.
 */
final class GroupStatusMapper {
  private GroupStatusMapper() {}

  static ContainerStatus map(ContainerGroupInner group) {
    return status(group).withPrivateIp(privateIp(group));
  }

  /** The group's private IP, once ACI reports one. */
  static Optional<String> privateIp(ContainerGroupInner group) {
    if (group.ipAddress() == null || !ContainerGroupIpAddressType.PRIVATE.equals(group.ipAddress().type())) {
      return Optional.empty();
    }
    return Optional.ofNullable(group.ipAddress().ip());
  }

  private static ContainerStatus status(ContainerGroupInner group) {
    String provisioning = orDash(group.provisioningState());
    String groupState = group.instanceView() == null ? null : group.instanceView().state();
    Container container = runnerContainer(group);
    ContainerState current = container == null || container.instanceView() == null ? null
        : container.instanceView().currentState();
    String containerState = current == null ? null : current.state();
    String raw = provisioning + "/" + orDash(groupState) + "/" + orDash(containerState);
    Optional<Integer> exitCode = Optional.ofNullable(current == null ? null : current.exitCode());
    List<Event> events = events(group, container);

    if (provisioning.equalsIgnoreCase("Deleting")) {
      return new ContainerStatus(io.oneshot.spi.ContainerState.STOPPED, raw, exitCode,
          "the container group is being deleted", Optional.empty());
    }
    Optional<Event> pullFailure = events.stream().filter(GroupStatusMapper::isPullFailure).findFirst();
    if (pullFailure.isPresent() && !"Running".equalsIgnoreCase(containerState)
        && !"Terminated".equalsIgnoreCase(containerState)) {
      return ContainerStatus.failed(raw, FailureKind.IMAGE_PULL, describe(pullFailure.get()), exitCode);
    }
    if ("Terminated".equalsIgnoreCase(containerState)) {
      String detail = current.detailStatus() == null || current.detailStatus().isEmpty() ? "Terminated"
          : current.detailStatus();
      String reason = detail + exitCode.map(code -> " (exit code " + code + ")").orElse("");
      Optional<FailureKind> failure = exitCode.filter(code -> code == 0).isPresent() ? Optional.empty()
          : Optional.of(FailureKind.EXITED);
      return new ContainerStatus(io.oneshot.spi.ContainerState.STOPPED, raw, exitCode, reason, failure);
    }
    if (provisioning.equalsIgnoreCase("Failed") || provisioning.equalsIgnoreCase("Canceled")) {
      Optional<Event> warning = events.stream().filter(e -> kindOf(e).isPresent()).findFirst()
          .or(() -> events.stream().filter(e -> "Warning".equalsIgnoreCase(e.type())).findFirst());
      FailureKind kind = warning.flatMap(GroupStatusMapper::kindOf).orElse(FailureKind.UNKNOWN);
      String reason = warning.map(GroupStatusMapper::describe)
          .orElse("provisioning " + provisioning.toLowerCase(Locale.ROOT) + " without an event saying why");
      return ContainerStatus.failed(raw, kind, reason, exitCode);
    }
    if ("Running".equalsIgnoreCase(containerState)) {
      return ContainerStatus.of(io.oneshot.spi.ContainerState.RUNNING, raw);
    }
    if ("Stopped".equalsIgnoreCase(groupState) || "Succeeded".equalsIgnoreCase(groupState)
        || "Failed".equalsIgnoreCase(groupState)) {
      return new ContainerStatus(io.oneshot.spi.ContainerState.STOPPED, raw, exitCode, "container group " + groupState,
          exitCode.filter(code -> code != 0).map(code -> FailureKind.EXITED));
    }
    switch (provisioning) {
      case "Accepted":
      case "Pending":
      case "Creating":
      case "Created":
      case "Updating":
      case "Repairing":
      case "PreProvisioned":
      case "NotSpecified":
      case "Succeeded":
        return ContainerStatus.of(io.oneshot.spi.ContainerState.PENDING, raw);
      default:
        return ContainerStatus.of(io.oneshot.spi.ContainerState.UNRECOGNIZED, raw);
    }
  }

  /** The portable kind an event names, if it names one. */
  static Optional<FailureKind> kindOf(Event event) {
    if (isPullFailure(event)) {
      return Optional.of(FailureKind.IMAGE_PULL);
    }
    String text = (nz(event.name()) + " " + nz(event.message())).toLowerCase(Locale.ROOT);
    if (AciErrors.isCapacityText(text)) {
      return Optional.of(FailureKind.CAPACITY);
    }
    return Optional.empty();
  }

  static boolean isPullFailure(Event event) {
    String name = nz(event.name()).toLowerCase(Locale.ROOT);
    String message = nz(event.message()).toLowerCase(Locale.ROOT);
    return name.contains("inaccessibleimage") || name.contains("errimagepull") || name.contains("imagepullbackoff")
        || (name.equals("failed") && (message.contains("pull") || message.contains("image")))
        || (name.equals("backoff") && message.contains("pulling image"));
  }

  private static Container runnerContainer(ContainerGroupInner group) {
    List<Container> containers = group.containers() == null ? List.of() : group.containers();
    return containers.stream().filter(c -> GroupRequest.CONTAINER.equals(c.name())).findFirst()
        .orElse(containers.isEmpty() ? null : containers.get(0));
  }

  private static List<Event> events(ContainerGroupInner group, Container container) {
    List<Event> events = new ArrayList<>();
    if (container != null && container.instanceView() != null && container.instanceView().events() != null) {
      events.addAll(container.instanceView().events());
    }
    if (group.instanceView() != null && group.instanceView().events() != null) {
      events.addAll(group.instanceView().events());
    }
    return events;
  }

  private static String describe(Event event) {
    return nz(event.name()) + ": " + nz(event.message());
  }

  private static String orDash(String text) {
    return text == null || text.isEmpty() ? "-" : text;
  }

  private static String nz(String text) {
    return text == null ? "" : text;
  }
}
