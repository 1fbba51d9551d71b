package io.oneshot.fakes.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.fakes.github.SimulatedRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

class FakeEcsLifecycleTest {
  private final EcsFixture fx = new EcsFixture();
  private final EcsClient ecs = fx.ecsClient();

  @AfterEach
  void close() {
    ecs.close();
    fx.close();
  }

  private Task describe(String arn) {
    DescribeTasksResponse response = ecs.describeTasks(b -> b.cluster(EcsFixture.CLUSTER).tasks(arn));
    assertThat(response.failures()).isEmpty();
    return response.tasks().get(0);
  }

  @Test
  void taskWalksEveryStatusOnTheClockRunsTheRunnerAndStopsWhenItsJobEnds() {
    String jit = fx.jit("ecs-1");
    RunTaskResponse run = ecs.runTask(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, jit)).build());

    assertThat(run.failures()).isEmpty();
    Task created = run.tasks().get(0);
    String arn = created.taskArn();
    assertThat(arn).matches("arn:aws:ecs:us-east-1:123456789012:task/runners/[0-9a-f]{32}");
    assertThat(created.lastStatus()).isEqualTo("PROVISIONING");
    assertThat(created.desiredStatus()).isEqualTo("RUNNING");
    assertThat(created.taskDefinitionArn()).isEqualTo(fx.taskDefinitionArn);
    assertThat(created.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/runners");
    assertThat(created.launchTypeAsString()).isEqualTo("FARGATE");
    assertThat(created.startedBy()).isEqualTo("oneshot");
    assertThat(created.group()).isEqualTo("family:gh-runner");
    assertThat(created.createdAt()).isEqualTo(fx.clock.instant());
    assertThat(created.attachments().get(0).status()).isEqualTo("PRECREATED");
    assertThat(created.overrides().containerOverrides().get(0).environment())
        .containsExactly(KeyValuePair.builder().name(RunnerEnvironment.JIT_CONFIG).value(jit).build());

    List<String> seen = new ArrayList<>();
    seen.add(created.lastStatus());
    for (int second = 1; second <= 7; second++) {
      fx.clock.advance(Duration.ofSeconds(1));
      String status = describe(arn).lastStatus();
      if (!status.equals(seen.get(seen.size() - 1))) {
        seen.add(status);
      }
    }
    assertThat(seen).containsExactly("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING");

    Task running = describe(arn);
    assertThat(running.startedAt()).isEqualTo(fx.clock.instant());
    assertThat(running.pullStartedAt()).isEqualTo(fx.clock.instant().minusSeconds(3));
    assertThat(running.pullStoppedAt()).isEqualTo(fx.clock.instant());
    assertThat(running.connectivityAt()).isEqualTo(fx.clock.instant().minusSeconds(5));
    assertThat(running.availabilityZone()).isEqualTo("us-east-1a");
    assertThat(running.attachments()).singleElement().satisfies(eni -> {
      assertThat(eni.type()).isEqualTo("ElasticNetworkInterface");
      assertThat(eni.status()).isEqualTo("ATTACHED");
      assertThat(eni.details()).extracting(KeyValuePair::name).containsExactly("subnetId", "networkInterfaceId",
          "macAddress", "privateDnsName", "privateIPv4Address");
      assertThat(eni.details().get(0).value()).isEqualTo("subnet-aaa");
    });
    Container container = running.containers().get(0);
    assertThat(container.name()).isEqualTo("runner");
    assertThat(container.image()).isEqualTo(EcsFixture.IMAGE);
    assertThat(container.lastStatus()).isEqualTo("RUNNING");
    assertThat(container.exitCode()).isNull();
    assertThat(container.networkInterfaces().get(0).privateIpv4Address()).startsWith("10.0.1.");

    SimulatedRunner runner = fx.ecs.runner(arn).orElseThrow();
    assertThat(runner.isOnline()).isFalse();
    fx.clock.advance(Duration.ofSeconds(3));
    assertThat(runner.isOnline()).isTrue();
    assertThat(fx.github.runners("orgs/octo")).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("online"));

    runner.acceptJob();
    fx.clock.advance(Duration.ofSeconds(30));
    assertThat(describe(arn).lastStatus()).isEqualTo("RUNNING");
    runner.finishJob();

    seen.clear();
    for (int second = 0; second <= 3; second++) {
      Task task = describe(arn);
      seen.add(task.lastStatus());
      assertThat(task.desiredStatus()).isEqualTo("STOPPED");
      fx.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(seen).containsExactly("DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED");
    Task stopped = describe(arn);
    assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
    assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
    assertThat(stopped.containers().get(0).exitCode()).isZero();
    assertThat(stopped.containers().get(0).lastStatus()).isEqualTo("STOPPED");
    assertThat(stopped.stoppingAt()).isNotNull();
    assertThat(stopped.executionStoppedAt()).isEqualTo(stopped.stoppingAt().plusSeconds(2));
    assertThat(stopped.stoppedAt()).isEqualTo(stopped.stoppingAt().plusSeconds(3));
    assertThat(stopped.attachments().get(0).status()).isEqualTo("DELETED");
    assertThat(fx.github.runners("orgs/octo")).isEmpty();

    FakeTask task = fx.ecs.tasks().get(0);
    assertThat(task.exitCode()).hasValue(0);
    assertThat(task.environment()).containsKey(RunnerEnvironment.JIT_CONFIG);
    assertThat(task.toString()).doesNotContain(jit);
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void stopTaskSigtermsTheRunnerIsIdempotentAndUnknownTasksAreNotFound() {
    String arn = ecs.runTask(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, fx.jit("ecs-stop"))).build())
        .tasks().get(0).taskArn();
    fx.clock.advance(Duration.ofSeconds(10));
    SimulatedRunner runner = fx.ecs.runner(arn).orElseThrow();
    assertThat(runner.isOnline()).isTrue();

    Task stopping = ecs.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task(arn).reason("job cancelled")).task();
    assertThat(stopping.lastStatus()).isEqualTo("DEACTIVATING");
    assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
    assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    assertThat(stopping.stoppedReason()).isEqualTo("job cancelled");
    assertThat(runner.exitCode()).hasValue(SimulatedRunner.SIGTERM_EXIT_CODE);

    fx.clock.advance(Duration.ofSeconds(5));
    String id = arn.substring(arn.lastIndexOf('/') + 1);
    Task again = ecs.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task(id).reason("another reason")).task();
    assertThat(again.lastStatus()).isEqualTo("STOPPED");
    assertThat(again.stoppedReason()).isEqualTo("job cancelled");
    assertThat(again.containers().get(0).exitCode()).isEqualTo(143);

    try (EcsClient noRetry = fx.ecsNoRetry()) {
      assertThatThrownBy(() -> noRetry.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task("0123456789abcdef0123456789abcdef")))
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("The referenced task was not found");
    }
    assertThat(fx.ecs.rejectedRequests()).singleElement().asString().startsWith("StopTask: InvalidParameterException");
  }

  @Test
  void stopWhileProvisioningNeverStartsTheRunner() {
    String arn = ecs.runTask(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, fx.jit("early"))).build())
        .tasks().get(0).taskArn();
    fx.clock.advance(Duration.ofSeconds(1));
    ecs.stopTask(b -> b.cluster(EcsFixture.CLUSTER).task(arn));
    fx.clock.advance(Duration.ofSeconds(20));

    Task task = describe(arn);
    assertThat(task.lastStatus()).isEqualTo("STOPPED");
    assertThat(task.stoppedReason()).isEqualTo("Task stopped by user");
    assertThat(task.startedAt()).isNull();
    assertThat(task.pullStartedAt()).isNull();
    assertThat(task.containers().get(0).exitCode()).isNull();
    assertThat(fx.ecs.runner(arn)).isEmpty();
  }

  @Test
  void describeTasksReportsUnknownTasksAsMissingAndTagsOnlyWhenAsked() {
    String arn = ecs.runTask(fx.runTask(Map.of()).tags(Tag.builder().key("oneshot-run").value("42").build()).build())
        .tasks().get(0).taskArn();

    DescribeTasksResponse plain = ecs.describeTasks(b -> b.cluster(EcsFixture.CLUSTER).tasks(arn, "missing-id"));
    assertThat(plain.tasks()).singleElement().satisfies(t -> assertThat(t.hasTags()).isFalse());
    assertThat(plain.failures()).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo("MISSING");
      assertThat(f.arn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:task/runners/missing-id");
    });

    DescribeTasksResponse tagged = ecs.describeTasks(b -> b.cluster(EcsFixture.CLUSTER).tasks(arn)
        .include(TaskField.TAGS));
    assertThat(tagged.tasks().get(0).tags()).containsExactly(Tag.builder().key("oneshot-run").value("42").build());

    assertThat(ecs.describeTasks(b -> b.tasks(arn)).failures()).singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));

    fx.ecs.forget(arn);
    assertThat(ecs.describeTasks(b -> b.cluster(EcsFixture.CLUSTER).tasks(arn)).failures()).hasSize(1);
    assertThat(fx.ecs.tasks()).isEmpty();
  }

  @Test
  void registrationTokenModeAndTaskDefinitionEnvironmentBringARunnerOnline() {
    String token = fx.github.createRegistrationToken("orgs/octo");
    fx.ecs.registerTaskDefinition(new TaskDefinitionSpec("token-runner", List.of(
        new TaskDefinitionSpec.ContainerSpec("sidecar", "busybox", false, Map.of()),
        new TaskDefinitionSpec.ContainerSpec("runner", EcsFixture.IMAGE, true,
            Map.of(RunnerEnvironment.RUNNER_LABELS, "oneshot,ecs"))),
        "awsvpc", List.of("FARGATE"), "512", "1024"));
    String arn = ecs.runTask(fx.runTask(Map.of(RunnerEnvironment.RUNNER_TOKEN, token,
        RunnerEnvironment.RUNNER_NAME, "token-1")).taskDefinition("token-runner").build()).tasks().get(0).taskArn();

    fx.clock.advance(Duration.ofSeconds(10));
    assertThat(fx.github.runners("orgs/octo")).isEmpty();
    fx.ecs.poll();
    assertThat(fx.github.runners("orgs/octo")).singleElement()
        .satisfies(r -> assertThat(r.labels()).contains("oneshot", "ecs"));
    Task task = describe(arn);
    assertThat(task.containers()).extracting(Container::name).containsExactly("sidecar", "runner");
    assertThat(task.cpu()).isEqualTo("512");
  }

  @Test
  void describeTaskDefinitionAnswersTheRegisteredRevisions() {
    String second = fx.ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("gh-runner", "runner", "other:1"));
    assertThat(second).endsWith("task-definition/gh-runner:2");

    var latest = ecs.describeTaskDefinition(b -> b.taskDefinition("gh-runner")).taskDefinition();
    assertThat(latest.revision()).isEqualTo(2);
    assertThat(latest.containerDefinitions().get(0).image()).isEqualTo("other:1");
    var first = ecs.describeTaskDefinition(b -> b.taskDefinition(fx.taskDefinitionArn)).taskDefinition();
    assertThat(first.revision()).isEqualTo(1);
    assertThat(first.networkModeAsString()).isEqualTo("awsvpc");
    assertThat(first.requiresCompatibilitiesAsStrings()).containsExactly("FARGATE");
  }

  @Test
  void withoutAFakeGitHubTasksRunUntilStopped() {
    try (FakeEcs plain = FakeEcs.builder().clock(fx.clock).timings(EcsTimings.instant()).build();
        EcsClient client = EcsClient.builder().endpointOverride(plain.endpoint())
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDTEST", "secret")))
            .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
            .build()) {
      plain.registerTaskDefinition(new TaskDefinitionSpec("bridge", List.of(
          TaskDefinitionSpec.ContainerSpec.of("app", "nginx")), "bridge", List.of("EC2"), null, null));
      Task task = client.runTask(b -> b.taskDefinition("bridge")).tasks().get(0);
      assertThat(task.lastStatus()).isEqualTo("RUNNING");
      assertThat(task.launchTypeAsString()).isEqualTo("EC2");
      assertThat(task.attachments()).isEmpty();
      assertThat(plain.runner(task.taskArn())).isEmpty();
      fx.clock.advance(Duration.ofHours(1));
      Task stopped = client.stopTask(b -> b.task(task.taskArn())).task();
      assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
      assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
    }
  }
}
