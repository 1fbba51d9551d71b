package io.oneshot.backend.cloudrun;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Maps a Cloud Run Execution of one task to the portable {@link ContainerStatus}: pending until a task
 * runs, running while {@code running_count} is positive, stopped once {@code completion_time} is set or
 * the {@code Completed} condition is terminal (or while cancelling); a failure's kind comes from the
 * conditions' reasons and messages (image errors, quota and resources, permissions, a non-zero exit), with
 * the deciding condition's reason and message kept. Stateless.
 */
final class ExecutionStatusMapper {
  private ExecutionStatusMapper() {}

  /**
   * @param exitCode looked up only for a failed execution whose task ran (the execution itself carries no
   *     exit code; the task's last attempt does)
   */
  static ContainerStatus map(Execution execution, Supplier<Optional<Integer>> exitCode) {
    Optional<Condition> completed = execution.getConditionsList().stream()
        .filter(c -> c.getType().equals("Completed")).findFirst();
    Condition.ExecutionReason executionReason = completed.map(Condition::getExecutionReason)
        .orElse(Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED);
    boolean terminal = execution.hasCompletionTime() || completed.map(Condition::getState)
        .filter(s -> s == Condition.State.CONDITION_SUCCEEDED || s == Condition.State.CONDITION_FAILED).isPresent();
    if (executionReason == Condition.ExecutionReason.CANCELLING && !execution.hasCompletionTime()) {
      return new ContainerStatus(ContainerState.STOPPED, "CANCELLING", Optional.empty(), describe(completed.get()),
          Optional.empty());
    }
    if (!terminal) {
      if (execution.getRunningCount() > 0) {
        return ContainerStatus.of(ContainerState.RUNNING, "RUNNING");
      }
      return ContainerStatus.of(ContainerState.PENDING, execution.getSucceededCount() + execution.getFailedCount() > 0
          ? "RUNNING" : "PENDING");
    }
    if (execution.getCancelledCount() > 0 || executionReason == Condition.ExecutionReason.CANCELLED) {
      return new ContainerStatus(ContainerState.STOPPED, "CANCELLED", Optional.empty(),
          completed.map(ExecutionStatusMapper::describe).orElse("cancelled"), Optional.empty());
    }
    if (execution.getSucceededCount() > 0 && execution.getFailedCount() == 0) {
      // Cloud Run counts a task as succeeded exactly when its container exited 0.
      return new ContainerStatus(ContainerState.STOPPED, "SUCCEEDED", Optional.of(0), "", Optional.empty());
    }
    Condition deciding = decidingFailure(execution.getConditionsList()).or(() -> completed)
        .orElse(Condition.getDefaultInstance());
    FailureKind kind = kind(deciding, execution.hasStartTime());
    Optional<Integer> exit = kind == FailureKind.EXITED ? exitCode.get() : Optional.empty();
    return new ContainerStatus(ContainerState.STOPPED, "FAILED", exit, describe(deciding), Optional.of(kind));
  }

  /** The failed condition that says most: one with a common reason first, then Completed. */
  private static Optional<Condition> decidingFailure(List<Condition> conditions) {
    return conditions.stream().filter(c -> c.getState() == Condition.State.CONDITION_FAILED)
        .filter(c -> c.getReasonsCase() == Condition.ReasonsCase.REASON).findFirst()
        .or(() -> conditions.stream().filter(c -> c.getState() == Condition.State.CONDITION_FAILED)
            .filter(c -> c.getType().equals("Completed")).findFirst())
        .or(() -> conditions.stream().filter(c -> c.getState() == Condition.State.CONDITION_FAILED).findFirst());
  }

  static FailureKind kind(Condition condition, boolean started) {
    if (condition.getReasonsCase() == Condition.ReasonsCase.REASON) {
      switch (condition.getReason()) {
        case CONTAINER_MISSING:
        case CONTAINER_PERMISSION_DENIED:
        case CONTAINER_IMAGE_UNAUTHORIZED:
        case CONTAINER_IMAGE_AUTHORIZATION_CHECK_FAILED:
          return FailureKind.IMAGE_PULL;
        case ENCRYPTION_KEY_PERMISSION_DENIED:
        case SECRETS_ACCESS_CHECK_FAILED:
          return FailureKind.PERMISSION;
        case ENCRYPTION_KEY_CHECK_FAILED:
        case VPC_NETWORK_NOT_FOUND:
          return FailureKind.CONFIGURATION;
        default:
          break;
      }
    }
    String message = condition.getMessage().toLowerCase(Locale.ROOT);
    if (message.contains("quota") || message.contains("insufficient") || message.contains("resources are not available")
        || message.contains("capacity") || message.contains("resource exhausted")) {
      return FailureKind.CAPACITY;
    }
    if (message.contains("image") && (message.contains("not found") || message.contains("pull")
        || message.contains("manifest"))) {
      return FailureKind.IMAGE_PULL;
    }
    if (message.contains("permission") || message.contains("denied")) {
      return FailureKind.PERMISSION;
    }
    if (condition.getExecutionReason() == Condition.ExecutionReason.NON_ZERO_EXIT_CODE || started) {
      return FailureKind.EXITED;
    }
    return FailureKind.UNKNOWN;
  }

  /** {@code Type: REASON: message}, leaving out what is unset. */
  static String describe(Condition condition) {
    String reason = switch (condition.getReasonsCase()) {
      case REASON -> condition.getReason().name();
      case EXECUTION_REASON -> condition.getExecutionReason().name();
      case REVISION_REASON -> condition.getRevisionReason().name();
      default -> "";
    };
    StringBuilder out = new StringBuilder(condition.getType());
    if (!reason.isEmpty()) {
      out.append(": ").append(reason);
    }
    if (!condition.getMessage().isEmpty()) {
      out.append(": ").append(condition.getMessage());
    }
    return out.toString();
  }
}
