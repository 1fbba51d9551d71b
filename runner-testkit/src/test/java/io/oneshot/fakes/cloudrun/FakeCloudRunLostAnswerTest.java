package io.oneshot.fakes.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.longrunning.Operation;
import io.oneshot.fakes.TestClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers lost after the call took effect: the change is made, the real client sees UNAVAILABLE. */
class FakeCloudRunLostAnswerTest {

  private static StatusCode.Code code(Throwable e) {
    return ((ApiException) e).getStatusCode().getCode();
  }

  @Test
  void aRunJobWhoseAnswerIsLostStartedItsExecution() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      fixture.cloudRun.faults().loseAnswerNext("RunJob", 1);

      assertThatThrownBy(() -> fixture.jobs.runJobCallable().call(fixture.run(Map.of())))
          .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.UNAVAILABLE))
          .hasMessageContaining("Connection reset by peer");

      assertThat(fixture.cloudRun.executions()).singleElement().satisfies(e -> assertThat(e.finished()).isFalse());
      assertThat(fixture.cloudRun.calls()).singleElement().satisfies(c -> {
        assertThat(c.method()).isEqualTo("RunJob");
        assertThat(c.status()).isEqualTo("UNAVAILABLE");
        assertThat(c.injected()).isTrue();
      });
      assertThat(fixture.cloudRun.rejectedRequests()).isEmpty();
    }
  }

  @Test
  void aCancelAnsweredUnavailableAfterTakingEffectCancelledTheExecution() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      Operation started = fixture.jobs.runJobCallable().call(fixture.run(Map.of()));
      String execution = fixture.cloudRun.executions().get(0).name();
      fixture.cloudRun.faults().unavailableAfterEffectNext("CancelExecution", 1);

      assertThatThrownBy(() -> fixture.executions.cancelExecutionCallable()
          .call(CancelExecutionRequest.newBuilder().setName(execution).build()))
          .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.UNAVAILABLE))
          .hasMessageContaining("The service is currently unavailable.");

      assertThat(started.getName()).isNotEmpty();
      assertThat(fixture.cloudRun.execution(execution).orElseThrow().state()).isIn("CANCELLING", "CANCELLED");
      // The next call is answered normally.
      assertThat(fixture.executions.getExecution(execution).getName()).isEqualTo(execution);
    }
  }

  @Test
  void aFailedCallDoesNotUseThePlannedLoss() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      fixture.cloudRun.faults().loseAnswerNext("GetExecution", 1);

      assertThatThrownBy(() -> fixture.executions.getExecution(fixture.job + "/executions/missing"))
          .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.NOT_FOUND));
      fixture.jobs.runJobCallable().call(fixture.run(Map.of()));
      String execution = fixture.cloudRun.executions().get(0).name();
      assertThatThrownBy(() -> fixture.executions.getExecution(execution))
          .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.UNAVAILABLE));
    }
  }
}
