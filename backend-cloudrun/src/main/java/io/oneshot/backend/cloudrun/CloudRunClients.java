package io.oneshot.backend.cloudrun;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.TasksClient;
import com.google.cloud.run.v2.TasksSettings;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The three google-cloud-run clients the backend uses (Jobs, Executions, Tasks), built alike: Application
 * Default Credentials against {@code run.googleapis.com:443}; or the {@code endpoint} (TLS with ADC, or
 * plaintext without credentials for a local fake); or, for tests, a given transport channel. The calls
 * that read or cancel are retried with exponential backoff on UNAVAILABLE and RESOURCE_EXHAUSTED (the
 * client's defaults retry nothing); RunJob only on RESOURCE_EXHAUSTED, whose refusal creates nothing.
 * {@link #create} blocks while it loads credentials; the clients are thread-safe; close is idempotent.
 */
final class CloudRunClients implements AutoCloseable {
  /** Production backoff: 0.5 s doubling to 8 s, at most 5 attempts within 60 s. */
  static final RetrySettings DEFAULT_RETRIES = RetrySettings.newBuilder()
      .setInitialRetryDelayDuration(Duration.ofMillis(500)).setRetryDelayMultiplier(2.0)
      .setMaxRetryDelayDuration(Duration.ofSeconds(8)).setMaxAttempts(5)
      .setInitialRpcTimeoutDuration(Duration.ofSeconds(30)).setRpcTimeoutMultiplier(1.0)
      .setMaxRpcTimeoutDuration(Duration.ofSeconds(30)).setTotalTimeoutDuration(Duration.ofSeconds(60)).build();
  private static final Set<StatusCode.Code> TRANSIENT = Set.of(StatusCode.Code.UNAVAILABLE,
      StatusCode.Code.RESOURCE_EXHAUSTED);
  private static final Set<StatusCode.Code> REFUSED = Set.of(StatusCode.Code.RESOURCE_EXHAUSTED);

  final JobsClient jobs;
  final ExecutionsClient executions;
  final TasksClient tasks;

  private CloudRunClients(JobsClient jobs, ExecutionsClient executions, TasksClient tasks) {
    this.jobs = jobs;
    this.executions = executions;
    this.tasks = tasks;
  }

  /**
   * Builds the clients.
   *
   * @param channel a transport for tests (in-process); credentials are then not used
   * @throws IOException when Application Default Credentials cannot be found or read
   */
  static CloudRunClients create(CloudRunSettings settings, Optional<TransportChannelProvider> channel,
      RetrySettings retries) throws IOException {
    JobsSettings.Builder jobs = JobsSettings.newBuilder();
    ExecutionsSettings.Builder executions = ExecutionsSettings.newBuilder();
    TasksSettings.Builder tasks = TasksSettings.newBuilder();
    if (channel.isPresent()) {
      jobs.setTransportChannelProvider(channel.get()).setCredentialsProvider(NoCredentialsProvider.create());
      executions.setTransportChannelProvider(channel.get()).setCredentialsProvider(NoCredentialsProvider.create());
      tasks.setTransportChannelProvider(channel.get()).setCredentialsProvider(NoCredentialsProvider.create());
    } else if (settings.endpoint().isPresent()) {
      String endpoint = settings.endpoint().get();
      jobs.setEndpoint(endpoint).setTransportChannelProvider(channel(endpoint, settings.plaintext()));
      executions.setEndpoint(endpoint).setTransportChannelProvider(channel(endpoint, settings.plaintext()));
      tasks.setEndpoint(endpoint).setTransportChannelProvider(channel(endpoint, settings.plaintext()));
      if (settings.plaintext()) {
        jobs.setCredentialsProvider(NoCredentialsProvider.create());
        executions.setCredentialsProvider(NoCredentialsProvider.create());
        tasks.setCredentialsProvider(NoCredentialsProvider.create());
      }
    }
    retry(jobs.getJobSettings(), TRANSIENT, retries);
    retry(jobs.runJobSettings(), REFUSED, retries);
    retry(executions.getExecutionSettings(), TRANSIENT, retries);
    retry(executions.listExecutionsSettings(), TRANSIENT, retries);
    retry(executions.cancelExecutionSettings(), TRANSIENT, retries);
    retry(tasks.listTasksSettings(), TRANSIENT, retries);
    JobsClient jobsClient = JobsClient.create(jobs.build());
    try {
      ExecutionsClient executionsClient = ExecutionsClient.create(executions.build());
      try {
        return new CloudRunClients(jobsClient, executionsClient, TasksClient.create(tasks.build()));
      } catch (IOException | RuntimeException e) {
        executionsClient.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      jobsClient.close();
      throw e;
    }
  }

  private static TransportChannelProvider channel(String endpoint, boolean plaintext) {
    InstantiatingGrpcChannelProvider.Builder provider = InstantiatingGrpcChannelProvider.newBuilder()
        .setEndpoint(endpoint);
    if (plaintext) {
      provider.setChannelConfigurator(ManagedChannelBuilder::usePlaintext);
    }
    return provider.build();
  }

  private static void retry(UnaryCallSettings.Builder<?, ?> call, Set<StatusCode.Code> codes, RetrySettings retries) {
    call.setRetryableCodes(codes).setRetrySettings(retries);
  }

  @Override
  public void close() {
    try {
      jobs.close();
      executions.close();
    } finally {
      tasks.close();
    }
  }
}
