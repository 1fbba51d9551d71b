package io.oneshot.demo;

import io.oneshot.backend.ecs.EcsLauncherProvider;
import io.oneshot.spi.RunnerLauncherProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's fake ECS and EC2: a task definition, two tagged private subnets and a security group. */
final class EcsDemoCloud implements DemoCloud {
  // The fake ECS checks no signature, but the AWS SDK wants credentials to sign with.
  private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIDONESHOTDEMO", "oneshot-demo-not-a-secret"));
  private final FakeEcs ecs;

  EcsDemoCloud(FakeGitHub github) {
    ecs = FakeEcs.builder().github(github).clock(github.clock()).seed(System.nanoTime()).build();
    // Named like the demo's and the README's name input (dev): task-definition defaults to it.
    ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("dev", "runner", "ghcr.io/oneshot/runner:demo"));
    ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
    ecs.addSubnet("subnet-0a1b2c3d4e5f60002", "vpc-0a1b2c3d", "us-east-1b", Map.of("oneshot", "runners"));
    ecs.addSecurityGroup("sg-0a1b2c3d4e5f60003", "runners", "vpc-0a1b2c3d", Map.of("oneshot", "runners"));
  }

  @Override
  public String backend() {
    return "ecs";
  }

  @Override
  public String describe() {
    return "fake ECS at " + ecs.endpoint();
  }

  @Override
  public Map<String, String> inputs() {
    return Map.of("region", "us-east-1", "subnets-tag", "oneshot:runners", "security-groups-tag", "oneshot:runners");
  }

  @Override
  public RunnerLauncherProvider provider() {
    return new EcsLauncherProvider(builder -> builder.endpoint(ecs.endpoint()).credentialsProvider(CREDENTIALS));
  }

  @Override
  public List<String> containers() {
    return ecs.tasks().stream().map(FakeTask::taskArn).toList();
  }

  @Override
  public Optional<SimulatedRunner> runner(String container) {
    return ecs.runner(container);
  }

  @Override
  public long running() {
    ecs.poll();
    return ecs.tasks().stream().filter(task -> !task.lastStatus().equals("STOPPED")).count();
  }

  @Override
  public void close() {
    ecs.close();
  }

}
