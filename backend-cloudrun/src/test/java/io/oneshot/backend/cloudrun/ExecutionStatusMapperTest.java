package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.protobuf.Timestamp;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Executions map to portable statuses from their counts and conditions. */
class ExecutionStatusMapperTest {
  private static final Timestamp AT = Timestamp.newBuilder().setSeconds(1_767_225_600L).build();
  private final AtomicInteger exitLookups = new AtomicInteger();

  private ContainerStatus map(Execution execution) {
    return ExecutionStatusMapper.map(execution, () -> {
      exitLookups.incrementAndGet();
      return Optional.of(3);
    });
  }

  private static Condition completed(Condition.State state) {
    return Condition.newBuilder().setType("Completed").setState(state).build();
  }

  private static Execution failed(Condition... conditions) {
    Execution.Builder execution = Execution.newBuilder().setFailedCount(1).setCompletionTime(AT);
    for (Condition condition : conditions) {
      execution.addConditions(condition);
    }
    return execution.build();
  }

  @Test
  void pendingThenRunningThenSucceededWithExitZero() {
    assertThat(map(Execution.newBuilder().addConditions(completed(Condition.State.CONDITION_PENDING)).build()).state())
        .isEqualTo(ContainerState.PENDING);
    assertThat(map(Execution.newBuilder().setRunningCount(1).setStartTime(AT)
        .addConditions(completed(Condition.State.CONDITION_RECONCILING)).build()).state())
        .isEqualTo(ContainerState.RUNNING);
    ContainerStatus done = map(Execution.newBuilder().setSucceededCount(1).setCompletionTime(AT)
        .addConditions(completed(Condition.State.CONDITION_SUCCEEDED)).build());
    assertThat(done.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(done.exitCode()).contains(0);
    assertThat(done.failure()).isEmpty();
    assertThat(exitLookups).hasValue(0);
  }

  @Test
  void cancellingAndCancelledAreStopsWithoutFailure() {
    ContainerStatus cancelling = map(Execution.newBuilder().addConditions(completed(Condition.State.CONDITION_RECONCILING)
        .toBuilder().setExecutionReason(Condition.ExecutionReason.CANCELLING).setMessage("being cancelled")).build());
    ContainerStatus cancelled = map(Execution.newBuilder().setCancelledCount(1).setCompletionTime(AT)
        .addConditions(completed(Condition.State.CONDITION_FAILED).toBuilder()
            .setExecutionReason(Condition.ExecutionReason.CANCELLED)).build());

    assertThat(cancelling.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(cancelling.rawStatus()).isEqualTo("CANCELLING");
    assertThat(cancelling.reason()).isEqualTo("Completed: CANCELLING: being cancelled");
    assertThat(cancelled.rawStatus()).isEqualTo("CANCELLED");
    assertThat(cancelled.failure()).isEmpty();
  }

  @Test
  void aNonZeroExitIsExitedWithTheTasksExitCode() {
    ContainerStatus status = map(failed(completed(Condition.State.CONDITION_FAILED).toBuilder()
        .setExecutionReason(Condition.ExecutionReason.NON_ZERO_EXIT_CODE)
        .setMessage("Task r-abcde-task0 failed with message: The container exited with an error.").build())
        .toBuilder().setStartTime(AT).build());

    assertThat(status.failure()).contains(FailureKind.EXITED);
    assertThat(status.exitCode()).contains(3);
    assertThat(status.rawStatus()).isEqualTo("FAILED");
    assertThat(status.reason()).isEqualTo("Completed: NON_ZERO_EXIT_CODE: Task r-abcde-task0 failed with message: The"
        + " container exited with an error.");
  }

  @Test
  void reasonsAndMessagesGiveTheFailureKind() {
    Condition imageMissing = Condition.newBuilder().setType("ResourcesAvailable")
        .setState(Condition.State.CONDITION_FAILED).setReason(Condition.CommonReason.CONTAINER_MISSING)
        .setMessage("Image 'x' not found.").build();
    Condition imageDenied = imageMissing.toBuilder().setReason(Condition.CommonReason.CONTAINER_PERMISSION_DENIED).build();
    Condition secrets = imageMissing.toBuilder().setReason(Condition.CommonReason.SECRETS_ACCESS_CHECK_FAILED).build();
    Condition vpc = imageMissing.toBuilder().setReason(Condition.CommonReason.VPC_NETWORK_NOT_FOUND).build();
    Condition quota = completed(Condition.State.CONDITION_FAILED).toBuilder()
        .setMessage("Quota exceeded for total allowable CPU per project per region.").build();
    Condition other = completed(Condition.State.CONDITION_FAILED).toBuilder().setMessage("Something else.").build();

    assertThat(map(failed(completed(Condition.State.CONDITION_FAILED), imageMissing)).failure()).contains(FailureKind.IMAGE_PULL);
    assertThat(map(failed(imageDenied)).failure()).contains(FailureKind.IMAGE_PULL);
    assertThat(map(failed(secrets)).failure()).contains(FailureKind.PERMISSION);
    assertThat(map(failed(vpc)).failure()).contains(FailureKind.CONFIGURATION);
    assertThat(map(failed(quota)).failure()).contains(FailureKind.CAPACITY);
    assertThat(map(failed(other)).failure()).contains(FailureKind.UNKNOWN);
    assertThat(map(failed(completed(Condition.State.CONDITION_FAILED), imageMissing)).reason())
        .isEqualTo("ResourcesAvailable: CONTAINER_MISSING: Image 'x' not found.");
    assertThat(exitLookups).as("exit codes only for runs that exited").hasValue(0);
  }
}
