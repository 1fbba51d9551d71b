package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;

class TaskStatusMapperTest {
  @ParameterizedTest
  @CsvSource({"PROVISIONING,PENDING", "PENDING,PENDING", "ACTIVATING,PENDING", "RUNNING,RUNNING",
      "DEACTIVATING,STOPPED", "STOPPING,STOPPED", "DEPROVISIONING,STOPPED", "STOPPED,STOPPED",
      "HIBERNATING,UNRECOGNIZED"})
  void everyLastStatusHasAPortableState(String lastStatus, ContainerState expected) {
    ContainerStatus status = TaskStatusMapper.map(Task.builder().lastStatus(lastStatus).build(), "runner");

    assertThat(status.state()).isEqualTo(expected);
    assertThat(status.rawStatus()).isEqualTo(lastStatus);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "TaskFailedToStart|CannotPullContainerError: pull image manifest has been retried 5 time(s): not found|1|IMAGE_PULL",
      "TaskFailedToStart|ResourceInitializationError: unable to pull secrets or registry auth: denied|1|IMAGE_PULL",
      "TaskFailedToStart|Capacity is unavailable at this time. Please try again later|1|CAPACITY",
      "TaskFailedToStart|RESOURCE:MEMORY|1|CAPACITY",
      "TaskFailedToStart|EMPTY CAPACITY PROVIDER|1|CAPACITY",
      "TaskFailedToStart|CannotStartContainerError: exec format error|1|CONFIGURATION",
      "SpotInterruption|Your Spot Task was interrupted.|143|CAPACITY",
      "TerminationNotice|Task stopped due to a termination notice|143|CAPACITY",
      "EssentialContainerExited|Essential container in task exited|1|EXITED",
      "InfrastructureHealth|host failed|1|UNKNOWN",
      "BrandNewCode|something new|1|UNKNOWN"})
  void stopCodesMapToFailureKinds(String stopCode, String reason, int exitCode, FailureKind expected) {
    Task task = Task.builder().lastStatus("STOPPED").stopCode(stopCode).stoppedReason(reason)
        .containers(Container.builder().name("runner").exitCode(exitCode).build(),
            Container.builder().name("sidecar").exitCode(9).build())
        .build();

    ContainerStatus status = TaskStatusMapper.map(task, "runner");

    assertThat(status.failure()).contains(expected);
    assertThat(status.exitCode()).contains(exitCode);
    assertThat(status.reason()).isEqualTo(stopCode + ": " + reason);
  }

  @ParameterizedTest
  @CsvSource({"EssentialContainerExited,0", "UserInitiated,143", "ServiceSchedulerInitiated,0"})
  void cleanExitsAndRequestedStopsAreNotFailures(String stopCode, int exitCode) {
    Task task = Task.builder().lastStatus("STOPPED").stopCode(stopCode).stoppedReason("r")
        .containers(Container.builder().name("runner").exitCode(exitCode).build()).build();

    assertThat(TaskStatusMapper.map(task, "runner").failure()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aStoppedTaskWithoutStopCodeButAFailedExitIsExited() {
    assertThat(TaskStatusMapper.failure(null, null, Optional.of(2))).contains(FailureKind.EXITED);
    assertThat(TaskStatusMapper.failure(null, null, Optional.empty())).isEmpty();
  }
}
