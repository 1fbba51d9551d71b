package io.oneshot.backend.cloudrun;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import io.grpc.ManagedChannel;
import io.oneshot.spi.BackendSettings;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec.ContainerSpec;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.github.FakeGitHub;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fake Cloud Run (in-process) with a runner job and a two-container job, and launchers on it. */
final class CloudRunFixture implements AutoCloseable {
  static final String IMAGE = "us-docker.pkg.dev/oneshot/runners/runner:latest";
  /** The production retry codes with millisecond backoff, so error paths stay fast. */
  static final RetrySettings FAST_RETRIES = RetrySettings.newBuilder()
      .setInitialRetryDelayDuration(Duration.ofMillis(5)).setRetryDelayMultiplier(2.0)
      .setMaxRetryDelayDuration(Duration.ofMillis(20)).setMaxAttempts(4)
      .setInitialRpcTimeoutDuration(Duration.ofSeconds(10)).setRpcTimeoutMultiplier(1.0)
      .setMaxRpcTimeoutDuration(Duration.ofSeconds(10)).setTotalTimeoutDuration(Duration.ofSeconds(20)).build();

  final FakeCloudRun cloudRun;
  final TestClock clock;
  private final ManagedChannel channel;

  CloudRunFixture(FakeGitHub github, TestClock clock) {
    this.clock = clock;
    cloudRun = FakeCloudRun.builder().github(github).clock(clock).seed(7).loopback(false).build();
    cloudRun.addJob(CloudRunJobSpec.runner("gh-runner", "runner", IMAGE));
    cloudRun.addJob(new CloudRunJobSpec("two-containers", List.of(ContainerSpec.of("runner", IMAGE),
        ContainerSpec.of("sidecar", "docker.io/library/busybox")), 1, 0, Duration.ofMinutes(10)));
    channel = cloudRun.inProcessChannel();
  }

  Map<String, String> settings(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of("project", "oneshot-test", "region", "us-central1",
        "job", "gh-runner"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return values;
  }

  /**
   * What {@link CloudRunLauncherProvider#create} does with these string settings (no environment), through the
   * same builder, on the fake's in-process channel without credentials and with fast retries.
   */
  CloudRunRunnerLauncher create(BackendSettings values) {
    return builder().settings(CloudRunSettings.parse(values, Map.of())).clock(values.clock())
        .purpose(values.purpose()).build();
  }

  /** A launcher builder whose own clients talk to the fake in-process, without credentials, with fast retries. */
  CloudRunRunnerLauncher.Builder builder() {
    return CloudRunRunnerLauncher.builder()
        .transportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .credentialsProvider(NoCredentialsProvider.create()).retrySettings(FAST_RETRIES).clock(clock);
  }

  /** The fake's in-process channel, for clients a test builds itself. */
  ManagedChannel channel() {
    return channel;
  }

  /** The execution as Cloud Run's own client reads it from the fake (GetExecution). */
  Execution readExecution(String name) throws IOException {
    try (ExecutionsClient client = ExecutionsClient.create(ExecutionsSettings.newBuilder()
        .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create()).build())) {
      return client.getExecution(name);
    }
  }

  CloudRunRunnerLauncher launcher(String... overrides) {
    return create(new BackendSettings(settings(overrides), clock));
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow();
    } finally {
      cloudRun.close();
    }
  }
}
