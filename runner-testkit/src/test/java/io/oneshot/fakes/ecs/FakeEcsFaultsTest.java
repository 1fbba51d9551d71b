package io.oneshot.fakes.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.fakes.github.SimulatedRunner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.ServerException;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

class FakeEcsFaultsTest {
  private final EcsFixture fx = new EcsFixture();
  private final EcsClient ecs = fx.ecsNoRetry();

  @AfterEach
  void close() {
    ecs.close();
    fx.close();
  }

  private Task describe(String arn) {
    return ecs.describeTasks(b -> b.cluster(EcsFixture.CLUSTER).tasks(arn)).tasks().get(0);
  }

  private String run() {
    return ecs.runTask(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, fx.jit("r-" + fx.ecs.callCount("RunTask"))))
        .build()).tasks().get(0).taskArn();
  }

  @Test
  void throttlingServerErrorsAndAccessDeniedAnswerAsAwsDoes() {
    fx.ecs.faults().throttleNext("DescribeTasks", 1).serverErrorNext("ListTasks", 1).accessDeniedNext("RunTask", 1);

    assertThatThrownBy(() -> ecs.describeTasks(b -> b.tasks("x"))).isInstanceOfSatisfying(EcsException.class, e -> {
      assertThat(e.isThrottlingException()).isTrue();
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
      assertThat(e.statusCode()).isEqualTo(400);
    });
    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER)))
        .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThatThrownBy(() -> ecs.runTask(fx.runTask(Map.of()).build()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("User: arn:aws:sts::123456789012:assumed-role/ci/oneshot is not authorized to perform:"
            + " ecs:RunTask on resource: " + fx.taskDefinitionArn);

    ecs.describeTasks(b -> b.tasks("x"));
    ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER));
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
    assertThat(fx.ecs.callCount("DescribeTasks")).isEqualTo(2);
  }

  @Test
  void aResetAnswersNothingAndTheSdkSeesAnIoError() {
    fx.ecs.faults().resetNext("ListTasks", 1);

    assertThatThrownBy(() -> ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER)))
        .isInstanceOf(SdkClientException.class).hasRootCauseInstanceOf(java.io.IOException.class);
    ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER));
    assertThat(fx.ecs.calls()).extracting(c -> c.status() + " " + c.errorCode())
        .containsExactly("0 ConnectionReset", "200 ");
  }

  @Test
  void capacityFailuresAnswer200WithNoTasks() {
    fx.ecs.faults().capacityFailureNext(1).noCapacityOn("FARGATE_SPOT");

    RunTaskResponse refused = ecs.runTask(fx.runTask(Map.of()).build());
    assertThat(refused.tasks()).isEmpty();
    assertThat(refused.failures()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo(EcsFaults.CAPACITY_UNAVAILABLE);
      assertThat(f.arn()).isNull();
    });
    RunTaskResponse spot = ecs.runTask(fx.runTask(Map.of()).launchType((LaunchType) null).capacityProviderStrategy(
        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(1).build()).build());
    assertThat(spot.tasks()).isEmpty();
    assertThat(spot.failures()).hasSize(1);

    RunTaskResponse onDemand = ecs.runTask(fx.runTask(Map.of()).launchType((LaunchType) null).capacityProviderStrategy(
        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE").weight(1).build()).build());
    assertThat(onDemand.tasks()).singleElement().satisfies(t -> {
      assertThat(t.capacityProviderName()).isEqualTo("FARGATE");
      assertThat(t.launchTypeAsString()).isEqualTo("FARGATE");
    });
    assertThat(fx.ecs.tasks().get(0).capacityProviderName()).hasValue("FARGATE");

    fx.ecs.faults().reset();
    assertThat(ecs.runTask(fx.runTask(Map.of()).launchType((LaunchType) null).capacityProviderStrategy(
        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").build()).build()).tasks()).hasSize(1);
  }

  @Test
  void anImagePullFailureStopsTheTaskFromActivating() {
    fx.ecs.faults().imagePullFailureNext(1);
    String arn = run();
    fx.clock.advance(Duration.ofSeconds(5));
    assertThat(describe(arn).lastStatus()).isEqualTo("ACTIVATING");
    fx.clock.advance(Duration.ofSeconds(2));
    Task stopping = describe(arn);
    assertThat(stopping.lastStatus()).isEqualTo("DEACTIVATING");
    assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
    assertThat(stopping.stoppedReason()).isEqualTo("CannotPullContainerError: pull image manifest has been retried"
        + " 5 time(s): failed to resolve reference \"" + EcsFixture.IMAGE + "\": not found");
    assertThat(stopping.startedAt()).isNull();
    fx.clock.advance(Duration.ofSeconds(3));
    assertThat(describe(arn).lastStatus()).isEqualTo("STOPPED");
    assertThat(describe(arn).containers().get(0).exitCode()).isNull();
    assertThat(fx.ecs.runner(arn)).isEmpty();
    assertThat(fx.github.runners("orgs/octo")).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("offline"));
  }

  @Test
  void aTaskCanStopWhilePendingWithAnyStopCode() {
    fx.ecs.faults().stopWhilePendingNext(1, "TaskFailedToStart",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed")
        .stopWhilePendingNext(1, "SpotInterruption", "Your Spot Task was interrupted.");
    String first = run();
    String second = run();
    fx.clock.advance(Duration.ofSeconds(20));
    assertThat(describe(first).stoppedReason()).startsWith("ResourceInitializationError");
    assertThat(describe(first).pullStartedAt()).isNull();
    assertThat(describe(second).stopCode()).isEqualTo(TaskStopCode.SPOT_INTERRUPTION);
    assertThat(describe(second).lastStatus()).isEqualTo("STOPPED");
  }

  @Test
  void runnersThatNeverComeOnlineOrCrashWhileBooting() {
    fx.ecs.faults().runnerNeverOnlineNext(1).runnerCrashOnBootNext(1, 3);
    String hung = run();
    String crashed = run();
    fx.clock.advance(Duration.ofMinutes(5));

    assertThat(describe(hung).lastStatus()).isEqualTo("RUNNING");
    SimulatedRunner hungRunner = fx.ecs.runner(hung).orElseThrow();
    assertThat(hungRunner.isOnline()).isFalse();

    Task stopping = describe(crashed);
    assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
    fx.clock.advance(Duration.ofSeconds(5));
    assertThat(describe(crashed).containers().get(0).exitCode()).isEqualTo(3);
    assertThat(fx.ecs.task(crashed).orElseThrow().exitCode()).hasValue(3);
  }

  @Test
  void latencyDelaysEveryAnswer() {
    fx.ecs.faults().latency(Duration.ofMillis(150));
    long start = System.nanoTime();
    ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    fx.ecs.faults().reset();
    start = System.nanoTime();
    ecs.listTasks(b -> b.cluster(EcsFixture.CLUSTER));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150));
  }

  @Test
  void theSameSeedAndRequestsGiveTheSameIds() {
    String first = run();
    try (EcsFixture other = new EcsFixture(); EcsClient client = other.ecsNoRetry()) {
      String again = client.runTask(other.runTask(Map.of()).build()).tasks().get(0).taskArn();
      assertThat(again).isEqualTo(first);
    }
  }
}
