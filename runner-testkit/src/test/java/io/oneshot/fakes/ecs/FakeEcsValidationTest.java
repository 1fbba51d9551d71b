package io.oneshot.fakes.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.RunnerEnvironment;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

class FakeEcsValidationTest {
  private final EcsFixture fx = new EcsFixture();
  private final EcsClient ecs = fx.ecsNoRetry();

  @AfterEach
  void close() {
    ecs.close();
    fx.close();
  }

  private void assertRejected(RunTaskRequest request, Class<? extends EcsException> type, String message) {
    assertThatThrownBy(() -> ecs.runTask(request)).isInstanceOf(type).hasMessageContaining(message)
        .satisfies(e -> assertThat(((EcsException) e).requestId()).isNotBlank());
    assertThat(fx.ecs.rejectedRequests()).last().asString().contains(message);
    assertThat(fx.ecs.tasks()).isEmpty();
  }

  @Test
  void aValidRequestIsAccepted() {
    ecs.runTask(fx.runTask(Map.of("A", "b")).build());
    assertThat(fx.ecs.rejectedRequests()).isEmpty();
    assertThat(fx.ecs.requestBodies("RunTask")).singleElement().asString().contains("\"clientToken\"");
  }

  @Test
  void unknownMembersAndWrongJsonTypesAreSerializationExceptions() {
    HttpResponse<String> unknown = fx.ecsRaw("RunTask", "{\"taskDefinition\":\"gh-runner\",\"taskDefinitionn\":\"x\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"__type\":\"SerializationException\"").contains("taskDefinitionn");
    assertThat(unknown.headers().firstValue("x-amzn-RequestId")).isPresent();

    HttpResponse<String> nested = fx.ecsRaw("RunTask",
        "{\"taskDefinition\":\"gh-runner\",\"overrides\":{\"containerOverrides\":[{\"name\":\"runner\",\"env\":[]}]}}");
    assertThat(nested.body()).contains("SerializationException").contains("overrides.containerOverrides[0].env");

    HttpResponse<String> wrongType = fx.ecsRaw("RunTask", "{\"taskDefinition\":{\"family\":\"gh-runner\"}}");
    assertThat(wrongType.body()).contains("SerializationException").contains("Start of structure or map found");

    HttpResponse<String> count = fx.ecsRaw("RunTask", "{\"taskDefinition\":\"gh-runner\",\"count\":\"1\"}");
    assertThat(count.body()).contains("STRING_VALUE can not be converted to an Integer");

    HttpResponse<String> notJson = fx.ecsRaw("ListTasks", "{not json");
    assertThat(notJson.body()).contains("SerializationException");

    HttpResponse<String> unknownOp = fx.ecsRaw("DeleteEverything", "{}");
    assertThat(unknownOp.body()).contains("UnknownOperationException");
    assertThat(fx.ecs.rejectedRequests()).hasSize(6);
  }

  @Test
  void requestsWithoutSigV4AreRefused() {
    HttpResponse<String> none = fx.post(Map.of("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTasks",
        "Content-Type", "application/x-amz-json-1.1"), "{}");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("MissingAuthenticationTokenException");

    HttpResponse<String> ec2 = fx.post(Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        "Action=DescribeSubnets&Version=2016-11-15");
    assertThat(ec2.statusCode()).isEqualTo(401);
    assertThat(ec2.body()).contains("<Code>AuthFailure</Code>").contains("<RequestID>");
  }

  @Test
  void missingRequiredMembersAndBadEnumsAreInvalidParameters() {
    assertRejected(fx.runTask(Map.of()).taskDefinition(null).build(), InvalidParameterException.class,
        "TaskDefinition can not be blank.");
    assertRejected(fx.runTask(Map.of()).launchType("FARGATE_DELUXE").build(), InvalidParameterException.class,
        "launchType should be one of [EC2,FARGATE,EXTERNAL,MANAGED_INSTANCES]");
    assertThatThrownBy(() -> ecs.describeTasks(b -> b.cluster(EcsFixture.CLUSTER)))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Tasks cannot be empty.");
  }

  @Test
  void launchTypeAndCapacityProviderStrategyAreExclusive() {
    assertRejected(fx.runTask(Map.of()).capacityProviderStrategy(CapacityProviderStrategyItem.builder()
        .capacityProvider("FARGATE_SPOT").weight(1).build()).build(), InvalidParameterException.class,
        "Specify either Launch Type or Capacity Provider Strategy, but not both.");
    assertRejected(fx.runTask(Map.of()).launchType((String) null).capacityProviderStrategy(
        CapacityProviderStrategyItem.builder().capacityProvider("MY_ASG").build()).build(),
        InvalidParameterException.class, "not associated with the cluster");
  }

  @Test
  void overridesLongerThan8192CharactersAreRefused() {
    assertRejected(fx.runTask(Map.of("BIG", "x".repeat(8200))).build(), InvalidParameterException.class,
        "Container Overrides length must be at most 8192");
    ecs.runTask(fx.runTask(Map.of("BIG", "x".repeat(8000))).build());
    assertThat(fx.ecs.tasks()).hasSize(1);
  }

  @Test
  void rejectionsNeverRepeatTheSecretsOfTheRequest() {
    String jit = fx.jit("secret-holder");
    assertRejected(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, jit)).taskDefinition("gh-runner:7").build(),
        ClientException.class, "Unable to describe task definition.");
    HttpResponse<String> typed = fx.ecsRaw("RunTask", "{\"taskDefinition\":\"gh-runner\",\"overrides\":{"
        + "\"containerOverrides\":[{\"name\":\"runner\",\"environment\":[{\"name\":\"X\",\"value\":{\"v\":\""
        + jit + "\"}}]}]}}");
    assertThat(typed.body()).contains("SerializationException").doesNotContain(jit);
    assertThat(String.join("\n", fx.ecs.rejectedRequests())).doesNotContain(jit);
  }

  @Test
  void containerOverridesMustNameAContainerOfTheTaskDefinition() {
    assertRejected(fx.runTask(Map.of()).overrides(TaskOverride.builder().containerOverrides(
        ContainerOverride.builder().name("runnr").build()).build()).build(), InvalidParameterException.class,
        "Override for container named runnr is not a container in the TaskDefinition.");
  }

  @Test
  void networkingIsCheckedAgainstTheVpcInventory() {
    assertRejected(fx.runTask(Map.of()).networkConfiguration(vpc("subnet-nope", "sg-123")).build(),
        InvalidParameterException.class, "The subnet ID 'subnet-nope' does not exist");
    assertRejected(fx.runTask(Map.of()).networkConfiguration(vpc("subnet-aaa", "sg-nope")).build(),
        InvalidParameterException.class, "The security group 'sg-nope' does not exist");
    assertRejected(fx.runTask(Map.of()).networkConfiguration((NetworkConfiguration) null).build(),
        InvalidParameterException.class, "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    assertRejected(fx.runTask(Map.of()).networkConfiguration(NetworkConfiguration.builder().awsvpcConfiguration(
        AwsVpcConfiguration.builder().subnets("subnet-aaa").securityGroups("sg-1", "sg-2", "sg-3", "sg-4", "sg-5",
            "sg-6").build()).build()).build(), InvalidParameterException.class, "securityGroups can have at most 5");
  }

  @Test
  void tagsStartedByCountAndClientTokenFollowTheLimits() {
    assertRejected(fx.runTask(Map.of()).tags(Tag.builder().key("aws:owner").value("x").build()).build(),
        InvalidParameterException.class, "reserved prefix aws:");
    assertRejected(fx.runTask(Map.of()).tags(Tag.builder().key("k".repeat(129)).value("x").build()).build(),
        InvalidParameterException.class, "tags[0].key must be at most 128");
    assertRejected(fx.runTask(Map.of()).startedBy("one shot").build(), InvalidParameterException.class,
        "startedBy must be up to 128");
    assertRejected(fx.runTask(Map.of()).count(11).build(), InvalidParameterException.class,
        "count must be between 1 and 10.");
    assertRejected(fx.runTask(Map.of()).clientToken("t".repeat(65)).build(), InvalidParameterException.class,
        "clientToken must be 1 to 64");
  }

  @Test
  void unknownClustersAndTaskDefinitionsAreNotFound() {
    assertRejected(fx.runTask(Map.of()).cluster("nope").build(), ClusterNotFoundException.class, "Cluster not found.");
    assertRejected(fx.runTask(Map.of()).taskDefinition("gh-runner:9").build(), ClientException.class,
        "Unable to describe task definition.");
    assertThatThrownBy(() -> ecs.describeTaskDefinition(b -> b.taskDefinition("nope")))
        .isInstanceOf(ClientException.class).hasMessageContaining("Unable to describe task definition.");
    fx.ecs.registerTaskDefinition(new TaskDefinitionSpec("ec2-only", java.util.List.of(
        TaskDefinitionSpec.ContainerSpec.of("runner", EcsFixture.IMAGE)), "awsvpc", java.util.List.of("EC2"), null, null));
    assertRejected(fx.runTask(Map.of(RunnerEnvironment.JIT_CONFIG, "x")).taskDefinition("ec2-only").build(),
        InvalidParameterException.class, "Task definition does not support launch_type FARGATE.");
  }

  private static NetworkConfiguration vpc(String subnet, String group) {
    return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder().subnets(subnet)
        .securityGroups(group).build()).build();
  }
}
