package io.oneshot.demo;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import io.grpc.ManagedChannelBuilder;
import io.oneshot.backend.cloudrun.CloudRunLauncherProvider;
import io.oneshot.spi.RunnerLauncherProvider;

import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.cloudrun.FakeExecution;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's fake Cloud Run: one job whose executions are the runners, served over plaintext gRPC. */
final class CloudRunDemoCloud implements DemoCloud {
  private static final String PROJECT = "demo-project";
  private static final String REGION = "europe-west1";
  private static final String JOB = "gh-runner";
  private final FakeCloudRun run;

  CloudRunDemoCloud(FakeGitHub github) {
    run = FakeCloudRun.builder().github(github).clock(github.clock()).seed(System.nanoTime()).project(PROJECT)
        .region(REGION).loopback(true).build();
    run.addJob(CloudRunJobSpec.runner(JOB, "runner", "ghcr.io/oneshot/runner:demo"));
  }

  @Override
  public String backend() {
    return "cloudrun";
  }

  @Override
  public String describe() {
    return "fake Cloud Run at " + run.endpoint();
  }

  @Override
  public Map<String, String> inputs() {
    return Map.of("project", PROJECT, "region", REGION, "job", JOB);
  }

  @Override
  public RunnerLauncherProvider provider() {
    // Plaintext gRPC to the fake on loopback, no credentials; a fresh channel per launcher.
    return new CloudRunLauncherProvider(builder -> builder.credentialsProvider(NoCredentialsProvider.create())
        .transportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(run.endpoint())
            .setChannelConfigurator(ManagedChannelBuilder::usePlaintext).build()));
  }

  @Override
  public List<String> containers() {
    return run.executions().stream().map(FakeExecution::name).toList();
  }

  @Override
  public Optional<SimulatedRunner> runner(String container) {
    return run.runner(container);
  }

  @Override
  public long running() {
    run.poll();
    return run.executions().stream().filter(execution -> !execution.finished()).count();
  }

  @Override
  public void close() {
    run.close();
  }
}
