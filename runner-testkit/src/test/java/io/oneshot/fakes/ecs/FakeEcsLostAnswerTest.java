package io.oneshot.fakes.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.RunnerEnvironment;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ServerException;

/** Answers lost after the request took effect: the change is made, the real SDK sees a failure. */
class FakeEcsLostAnswerTest {
  private final EcsFixture fx = new EcsFixture();
  private final EcsClient noRetry = fx.ecsNoRetry();

  @AfterEach
  void close() {
    noRetry.close();
    fx.close();
  }

  private String run(EcsClient client, String clientToken) {
    return client.runTask(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, fx.jit("r-" + fx.ecs.callCount("RunTask"))))
        .clientToken(clientToken).build()).tasks().get(0).taskArn();
  }

  @Test
  void aRunTaskWhoseAnswerIsLostStartedItsTaskAndTheSdkSawAnIoError() {
    fx.ecs.faults().loseAnswerNext("RunTask", 1);

    assertThatThrownBy(() -> run(noRetry, "token-1"))
        .isInstanceOf(SdkClientException.class).hasRootCauseInstanceOf(java.io.IOException.class);

    assertThat(fx.ecs.tasks()).singleElement().satisfies(t -> {
      assertThat(t.desiredStatus()).isEqualTo("RUNNING");
      assertThat(t.clientToken()).contains("token-1");
    });
    assertThat(fx.ecs.calls()).extracting(c -> c.operation() + " " + c.status() + " " + c.errorCode())
        .containsExactly("RunTask 0 AnswerLost");
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void theSdksRetryOfALostRunTaskWithItsClientTokenGetsTheSameTask() {
    fx.ecs.faults().loseAnswerNext("RunTask", 1);
    try (EcsClient retrying = fx.ecsClient()) {
      String arn = run(retrying, "token-2");

      assertThat(fx.ecs.tasks()).extracting(FakeTask::taskArn).containsExactly(arn);
      assertThat(fx.ecs.sdkAttempts("RunTask")).hasSize(2);
    }
  }

  @Test
  void aStopTaskAnswered500AfterTakingEffectStoppedTheTask() {
    String arn = run(noRetry, "token-3");
    fx.ecs.faults().serverErrorAfterEffectNext("StopTask", 1);

    assertThatThrownBy(() -> noRetry.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task(arn).reason("done")))
        .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));

    assertThat(fx.ecs.task(arn).orElseThrow().desiredStatus()).isEqualTo("STOPPED");
    assertThat(fx.ecs.calls()).extracting(c -> c.operation() + " " + c.status())
        .containsExactly("RunTask 200", "StopTask 500");
  }

  @Test
  void aFailedCallDoesNotUseThePlannedLoss() {
    fx.ecs.faults().loseAnswerNext("StopTask", 1);

    assertThatThrownBy(() -> noRetry.stopTask(b -> b.cluster("no-such-cluster").task("x")))
        .isNotInstanceOf(SdkClientException.class);
    String arn = run(noRetry, "token-4");
    assertThatThrownBy(() -> noRetry.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task(arn)))
        .isInstanceOf(SdkClientException.class);
    assertThat(fx.ecs.task(arn).orElseThrow().desiredStatus()).isEqualTo("STOPPED");
  }
}
