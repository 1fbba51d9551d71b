package io.oneshot.fakes.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import io.oneshot.fakes.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each planned fault reaches the real client in Google's wire form; random faults replay from the seed. */
class FakeCloudRunFaultsTest {

  private static StatusCode.Code code(Throwable e) {
    return ((ApiException) e).getStatusCode().getCode();
  }

  @Test
  void iamRefusalsNameThePermissionInMessageAndErrorInfo() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      fixture.cloudRun.faults().permissionDeniedNext("RunJob", 1);

      assertThatThrownBy(() -> fixture.jobs.runJobCallable().call(fixture.run(Map.of())))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(code(e)).isEqualTo(StatusCode.Code.PERMISSION_DENIED);
            assertThat(e.getReason()).isEqualTo("IAM_PERMISSION_DENIED");
            assertThat(e.getMetadata()).containsEntry("permission", "run.jobs.runWithOverrides")
                .containsEntry("resource", "//run.googleapis.com/" + fixture.job);
          })
          .hasMessageContaining("Permission 'run.jobs.runWithOverrides' denied on resource");
      assertThat(fixture.cloudRun.calls()).singleElement().satisfies(c -> assertThat(c.injected()).isTrue());
      assertThat(fixture.cloudRun.rejectedRequests()).isEmpty();
      assertThat(fixture.cloudRun.executions()).isEmpty();
    }
  }

  @Test
  void quotasAndUnavailabilityHaveTheirCodes() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      fixture.cloudRun.faults().rateLimitNext("GetJob", 1).quotaExceededNext("GetJob", 1).unavailableNext("GetJob", 1);

      assertThatThrownBy(() -> fixture.jobs.getJob(fixture.job)).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(code(e)).isEqualTo(StatusCode.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getReason()).isEqualTo("RATE_LIMIT_EXCEEDED");
      });
      assertThatThrownBy(() -> fixture.jobs.getJob(fixture.job)).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(code(e)).isEqualTo(StatusCode.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getReason()).isNull();
      }).hasMessageContaining("Quota exceeded for total allowable CPU");
      assertThatThrownBy(() -> fixture.jobs.getJob(fixture.job))
          .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.UNAVAILABLE));
      assertThat(fixture.jobs.getJob(fixture.job).getName()).isEqualTo(fixture.job);
    }
  }

  @Test
  void deadlinesAndResetsHaveTheStatusTheClientSees() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      fixture.cloudRun.faults().deadlineExceededNext("GetJob", 1).connectionResetNext("GetJob", 1);

      assertThatThrownBy(() -> fixture.jobs.getJob(fixture.job))
          .satisfies(e -> assertThat(code((ApiException) e)).isEqualTo(StatusCode.Code.DEADLINE_EXCEEDED));
      assertThatThrownBy(() -> fixture.jobs.getJob(fixture.job))
          .satisfies(e -> assertThat(code((ApiException) e)).isEqualTo(StatusCode.Code.UNAVAILABLE))
          .hasMessageContaining("Connection reset by peer");
      assertThat(fixture.jobs.getJob(fixture.job).getName()).isEqualTo(fixture.job);
    }
  }

  @Test
  void randomUnavailabilityReplaysFromTheSeed() {
    assertThat(outcomes(42)).isEqualTo(outcomes(42)).contains("UNAVAILABLE", "OK");
  }

  private static List<String> outcomes(long seed) {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), seed)) {
      fixture.cloudRun.faults().unavailableRate(0.3);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        try {
          fixture.jobs.getJob(fixture.job);
          out.add("OK");
        } catch (ApiException e) {
          out.add(code(e).name());
        }
      }
      return out;
    }
  }

  @Test
  void startFailuresShowInTheConditions() throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, clock, 3)) {
      fixture.cloudRun.faults().imageMissingNext(1).noResourcesNext(1);
      String image = fixture.jobs.runJobCallable().call(fixture.run(Map.of())).getMetadata().unpack(Execution.class)
          .getName();
      String resources = fixture.jobs.runJobCallable().call(fixture.run(Map.of())).getMetadata()
          .unpack(Execution.class).getName();
      clock.advance(Duration.ofSeconds(10));

      Execution imageFailed = fixture.executions.getExecution(image);
      Execution resourcesFailed = fixture.executions.getExecution(resources);

      assertThat(imageFailed.getFailedCount()).isEqualTo(1);
      assertThat(imageFailed.hasStartTime()).isFalse();
      assertThat(imageFailed.getConditionsList()).filteredOn(c -> c.getState() == Condition.State.CONDITION_FAILED)
          .extracting(Condition::getType).contains("Completed", "ResourcesAvailable");
      assertThat(imageFailed.getConditions(0).getReason()).isEqualTo(Condition.CommonReason.CONTAINER_MISSING);
      assertThat(imageFailed.getConditions(0).getMessage()).isEqualTo("Image '" + CloudRunClientFixture.IMAGE
          + "' not found.");
      assertThat(resourcesFailed.getConditions(0).getMessage()).contains("Quota exceeded");
    }
  }

  @Test
  void slowAnswersAreSlow() {
    try (CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 3)) {
      fixture.cloudRun.faults().latency(Duration.ofMillis(150));

      long start = System.nanoTime();
      fixture.jobs.getJob(fixture.job);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
  }
}
