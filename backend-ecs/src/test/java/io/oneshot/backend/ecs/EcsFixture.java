package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.ecs.TaskDefinitionSpec.ContainerSpec;
import io.oneshot.fakes.github.FakeGitHub;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/** A fake ECS and EC2 with a runner task definition, tagged subnets and a security group. */
final class EcsFixture implements AutoCloseable {
  static final String SUBNET_A = "subnet-0aaaaaaaaaaaaaaa1";
  static final String SUBNET_B = "subnet-0bbbbbbbbbbbbbbb2";
  static final String OTHER_SUBNET = "subnet-0ccccccccccccccc3";
  static final String GROUP = "sg-0ddddddddddddddd4";
  static final String IMAGE = "ghcr.io/oneshot/runner:latest";
  /** SDK retries as in production but with millisecond backoff, so error paths stay fast. */
  static final RetryStrategy FAST_RETRIES = AwsRetryStrategy.standardRetryStrategy().toBuilder()
      .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(20)))
      .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(20)))
      .build();

  final FakeEcs ecs;
  final TestClock clock;

  EcsFixture(FakeGitHub github, TestClock clock) {
    this.clock = clock;
    ecs = FakeEcs.builder().github(github).clock(clock).seed(7).build();
    ecs.addCluster("runners");
    ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot-runner", "runner", IMAGE));
    ecs.registerTaskDefinition(new TaskDefinitionSpec("two-containers",
        List.of(ContainerSpec.of("runner", IMAGE), ContainerSpec.of("sidecar", "public.ecr.aws/docker/library/busybox")),
        "awsvpc", List.of("FARGATE"), "1024", "2048"));
    ecs.addSubnet(SUBNET_A, "vpc-01234567", "us-east-1a", Map.of("oneshot", "runners"));
    ecs.addSubnet(SUBNET_B, "vpc-01234567", "us-east-1b", Map.of("oneshot", "runners"));
    ecs.addSubnet(OTHER_SUBNET, "vpc-01234567", "us-east-1c", Map.of("oneshot", "other"));
    ecs.addSecurityGroup(GROUP, "runners", "vpc-01234567", Map.of("oneshot", "runners"));
  }

  Map<String, String> settings(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of(
        "region", "us-east-1",
        "endpoint", ecs.endpoint().toString(),
        "cluster", "runners",
        "task-definition", "oneshot-runner",
        "subnets-tag", "oneshot:runners",
        "security-groups-tag", "oneshot:runners"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return values;
  }

  EcsRunnerLauncher launcher(String... overrides) {
    return launcher(new BackendSettings(settings(overrides), clock));
  }

  /**
   * What {@link EcsLauncherProvider#create} does with these string settings, through the same builder, with SDK
   * retries that back off in milliseconds.
   */
  EcsRunnerLauncher launcher(BackendSettings values) {
    EcsRunnerLauncher.Builder builder = EcsRunnerLauncher.builder().clock(values.clock()).purpose(values.purpose())
        .overrideConfiguration(o -> o.retryStrategy(FAST_RETRIES));
    if (values.purpose() == LauncherPurpose.MANAGE) {
      return builder.scope(EcsSettings.builder().region(values.get("region").orElse(null))
          .cluster(values.get("cluster").orElse(null)).endpoint(values.get("endpoint").map(URI::create).orElse(null))
          .buildScope()).build();
    }
    return builder.settings(EcsSettings.parse(values))
        .taskDefinitionFromName(EcsSettings.taskDefinitionIsDefaulted(values)).build();
  }

  /** A launcher for stop, sweep and status on the fake's {@code runners} cluster. */
  EcsRunnerLauncher manageLauncher() {
    return launcher(new BackendSettings(Map.of("region", "us-east-1", "cluster", "runners", "endpoint",
        ecs.endpoint().toString()), clock, LauncherPurpose.MANAGE));
  }

  @Override
  public void close() {
    ecs.close();
  }
}
