package io.oneshot.fakes.cloudrun;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TasksClient;
import com.google.cloud.run.v2.TasksSettings;
import io.grpc.ManagedChannel;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/** A fake Cloud Run (in-process) with a runner job, and the real v2 clients on it (no retries, fast LRO polls). */
final class CloudRunClientFixture implements AutoCloseable {
  static final String IMAGE = "us-docker.pkg.dev/oneshot/runners/runner:latest";

  final TestClock clock;
  final FakeCloudRun cloudRun;
  final JobsClient jobs;
  final ExecutionsClient executions;
  final TasksClient tasks;
  final String job;
  private final ManagedChannel channel;

  CloudRunClientFixture(FakeGitHub github, TestClock clock, long seed) {
    this.clock = clock;
    FakeCloudRun.Builder builder = FakeCloudRun.builder().clock(clock).seed(seed).loopback(false);
    if (github != null) {
      builder.github(github);
    }
    cloudRun = builder.build();
    job = cloudRun.addJob(CloudRunJobSpec.runner("gh-runner", "runner", IMAGE));
    channel = cloudRun.inProcessChannel();
    FixedTransportChannelProvider transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    try {
      JobsSettings.Builder jobsSettings = JobsSettings.newBuilder().setTransportChannelProvider(transport)
          .setCredentialsProvider(NoCredentialsProvider.create());
      jobsSettings.runJobOperationSettings().setPollingAlgorithm(OperationTimedPollAlgorithm.create(
          RetrySettings.newBuilder().setInitialRetryDelayDuration(Duration.ofMillis(10)).setRetryDelayMultiplier(1.0)
              .setMaxRetryDelayDuration(Duration.ofMillis(10)).setTotalTimeoutDuration(Duration.ofSeconds(5))
              .setInitialRpcTimeoutDuration(Duration.ZERO).setRpcTimeoutMultiplier(1.0)
              .setMaxRpcTimeoutDuration(Duration.ZERO).build()));
      jobs = JobsClient.create(jobsSettings.build());
      executions = ExecutionsClient.create(ExecutionsSettings.newBuilder().setTransportChannelProvider(transport)
          .setCredentialsProvider(NoCredentialsProvider.create()).build());
      tasks = TasksClient.create(TasksSettings.newBuilder().setTransportChannelProvider(transport)
          .setCredentialsProvider(NoCredentialsProvider.create()).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A RunJob request with this env on the runner container, one task, a one-hour timeout. */
  RunJobRequest run(Map<String, String> env) {
    RunJobRequest.Overrides.ContainerOverride.Builder container = RunJobRequest.Overrides.ContainerOverride.newBuilder()
        .setName("runner");
    env.forEach((name, value) -> container.addEnv(EnvVar.newBuilder().setName(name).setValue(value)));
    return RunJobRequest.newBuilder().setName(job).setOverrides(RunJobRequest.Overrides.newBuilder()
        .addContainerOverrides(container).setTaskCount(1)
        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(3600))).build();
  }

  @Override
  public void close() {
    jobs.close();
    executions.close();
    tasks.close();
    channel.shutdownNow();
    cloudRun.close();
  }
}
