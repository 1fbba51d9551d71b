package io.oneshot.fakes.ecs;

import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * A FakeGitHub (org "octo") and a FakeEcs on one TestClock, with a cluster "runners", a Fargate task
 * definition "gh-runner" (container "runner"), two tagged subnets and a security group; plus real SDK
 * clients for it.
 */
final class EcsFixture implements AutoCloseable {
  static final String CLUSTER = "runners";
  static final String IMAGE = "ghcr.io/actions/actions-runner:2.330.0";
  private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final TestClock clock = TestClock.atEpochOfTests();
  final FakeGitHub github;
  final FakeEcs ecs;
  final String taskDefinitionArn;
  private final GitHubClient gitHubClient;

  EcsFixture() {
    this(EcsTimings.defaults());
  }

  EcsFixture(EcsTimings timings) {
    github = FakeGitHub.builder().clock(clock).seed(7).build();
    github.addOrganization("octo");
    ecs = FakeEcs.builder().github(github).seed(11).timings(timings).build();
    ecs.addCluster(CLUSTER);
    taskDefinitionArn = ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("gh-runner", "runner", IMAGE));
    ecs.addSubnet("subnet-aaa", "vpc-0123", "us-east-1a", Map.of("gh-runners", "true"));
    ecs.addSubnet("subnet-bbb", "vpc-0123", "us-east-1b", Map.of("gh-runners", "true"));
    ecs.addSecurityGroup("sg-123", "runners", "vpc-0123", Map.of("gh-runners", "true"));
    gitHubClient = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(3)).build();
  }

  /** A fresh EcsClient with the SDK's default retries. */
  EcsClient ecsClient() {
    return EcsClient.builder()
        .endpointOverride(ecs.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** A fresh EcsClient that never retries (error-path tests). */
  EcsClient ecsNoRetry() {
    return EcsClient.builder()
        .endpointOverride(ecs.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** A fresh Ec2Client that never retries. */
  Ec2Client ec2NoRetry() {
    return Ec2Client.builder()
        .endpointOverride(ecs.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** A JIT config for a new runner in org "octo" (a secret). */
  String jit(String runnerName) {
    return gitHubClient.generateJitConfig(new JitConfigRequest(runnerName, 1, List.of("self-hosted", "oneshot"),
        "_work")).encodedJitConfig();
  }

  /** RunTask as a backend would send it: Fargate, awsvpc, the runner's JIT config in the override env. */
  RunTaskRequest.Builder runTask(Map<String, String> env) {
    return RunTaskRequest.builder()
        .cluster(CLUSTER)
        .taskDefinition("gh-runner")
        .launchType(LaunchType.FARGATE)
        .startedBy("oneshot")
        .networkConfiguration(NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder()
            .subnets("subnet-aaa", "subnet-bbb").securityGroups("sg-123").assignPublicIp(AssignPublicIp.DISABLED)
            .build()).build())
        .overrides(TaskOverride.builder().containerOverrides(ContainerOverride.builder().name("runner")
            .environment(env.entrySet().stream()
                .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
            .build()).build());
  }

  /** A raw POST to the fake, for what the SDK would never send. */
  HttpResponse<String> post(Map<String, String> headers, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ecs.endpoint() + "/"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      return RAW.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A raw ECS call with a SigV4-looking Authorization header. */
  HttpResponse<String> ecsRaw(String operation, String body) {
    return post(Map.of("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation,
        "Content-Type", "application/x-amz-json-1.1",
        "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/ecs/aws4_request, Signature=x"),
        body);
  }

  @Override
  public void close() {
    try {
      ecs.close();
    } finally {
      github.close();
    }
  }
}
