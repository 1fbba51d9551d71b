package io.oneshot.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One look at a container: the portable state, the backend's raw status, and for a stopped container
 * its exit code, reason and failure kind where known.
 *
 * @param state the portable state
 * @param rawStatus the backend's own status string, for example {@code DEPROVISIONING}
 * @param exitCode the runner container's exit code, once it has one
 * @param reason a human-readable reason (stop code and message), empty when there is none
 * @param failure the portable failure kind when the container stopped abnormally
 * @param privateIp the container's private IP once the cloud has assigned one
 */
public record ContainerStatus(
    ContainerState state,
    String rawStatus,
    Optional<Integer> exitCode,
    String reason,
    Optional<FailureKind> failure,
    Optional<String> privateIp) {

  public ContainerStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rawStatus, "rawStatus");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(privateIp, "privateIp");
  }

  /** A status without a known private IP. */
  public ContainerStatus(ContainerState state, String rawStatus, Optional<Integer> exitCode, String reason,
      Optional<FailureKind> failure) {
    this(state, rawStatus, exitCode, reason, failure, Optional.empty());
  }

  /** The same status with the container's private IP. */
  public ContainerStatus withPrivateIp(Optional<String> ip) {
    return new ContainerStatus(state, rawStatus, exitCode, reason, failure, ip);
  }

  /** A status with only a state and raw status. */
  public static ContainerStatus of(ContainerState state, String rawStatus) {
    return new ContainerStatus(state, rawStatus, Optional.empty(), "", Optional.empty());
  }

  /** A stopped container with the given failure. */
  public static ContainerStatus failed(String rawStatus, FailureKind kind, String reason, Optional<Integer> exitCode) {
    return new ContainerStatus(ContainerState.STOPPED, rawStatus, exitCode, reason, Optional.of(kind));
  }

  /** The status of a container the cloud no longer knows. */
  public static ContainerStatus gone(String reason) {
    return new ContainerStatus(ContainerState.GONE, "GONE", Optional.empty(), reason, Optional.empty());
  }
}
