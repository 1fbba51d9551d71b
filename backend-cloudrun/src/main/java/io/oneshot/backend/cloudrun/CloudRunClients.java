package io.oneshot.backend.cloudrun;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ClientSettings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The three google-cloud-run clients the backend uses (Jobs, Executions, Tasks). Each is either the caller's
 * (used as configured, never closed here) or built here alike: Application Default Credentials (or the given
 * credentials provider) against {@code run.googleapis.com:443}; or the {@code endpoint} (TLS with those
 * credentials, or plaintext without credentials for a local fake); or a given transport channel. The calls
 * that read or cancel are retried with exponential backoff on UNAVAILABLE and RESOURCE_EXHAUSTED (the
 * client's defaults retry nothing); RunJob only on RESOURCE_EXHAUSTED, whose refusal creates nothing.
 * {@link #create} blocks while it loads credentials; the clients are thread-safe; close is idempotent and
 * closes only the clients built here.
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

  /** How the clients the backend builds itself are made; what the caller passes in is used as it is. */
  record Options(Optional<TransportChannelProvider> channel, Optional<CredentialsProvider> credentials,
      RetrySettings retries, Optional<JobsClient> jobs, Optional<ExecutionsClient> executions,
      Optional<TasksClient> tasks) {}

  final JobsClient jobs;
  final ExecutionsClient executions;
  final TasksClient tasks;
  private final List<AutoCloseable> owned;

  private CloudRunClients(JobsClient jobs, ExecutionsClient executions, TasksClient tasks, List<AutoCloseable> owned) {
    this.jobs = jobs;
    this.executions = executions;
    this.tasks = tasks;
    this.owned = List.copyOf(owned);
  }

  /**
   * Builds the clients the caller did not pass.
   *
   * @throws IOException when credentials are needed and Application Default Credentials cannot be found or read
   */
  static CloudRunClients create(CloudRunSettings settings, Options options) throws IOException {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      JobsClient jobsClient = options.jobs().orElse(null);
      if (jobsClient == null) {
        JobsSettings.Builder jobs = JobsSettings.newBuilder();
        configure(jobs, settings, options);
        retry(jobs.getJobSettings(), TRANSIENT, options.retries());
        retry(jobs.runJobSettings(), REFUSED, options.retries());
        jobsClient = JobsClient.create(jobs.build());
        owned.add(jobsClient);
      }
      ExecutionsClient executionsClient = options.executions().orElse(null);
      if (executionsClient == null) {
        ExecutionsSettings.Builder executions = ExecutionsSettings.newBuilder();
        configure(executions, settings, options);
        retry(executions.getExecutionSettings(), TRANSIENT, options.retries());
        retry(executions.listExecutionsSettings(), TRANSIENT, options.retries());
        retry(executions.cancelExecutionSettings(), TRANSIENT, options.retries());
        executionsClient = ExecutionsClient.create(executions.build());
        owned.add(executionsClient);
      }
      TasksClient tasksClient = options.tasks().orElse(null);
      if (tasksClient == null) {
        TasksSettings.Builder tasks = TasksSettings.newBuilder();
        configure(tasks, settings, options);
        retry(tasks.listTasksSettings(), TRANSIENT, options.retries());
        tasksClient = TasksClient.create(tasks.build());
        owned.add(tasksClient);
      }
      return new CloudRunClients(jobsClient, executionsClient, tasksClient, owned);
    } catch (IOException | RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  private static void configure(ClientSettings.Builder<?, ?> builder, CloudRunSettings settings, Options options) {
    if (options.channel().isPresent()) {
      builder.setTransportChannelProvider(options.channel().get());
    } else if (settings.endpoint().isPresent()) {
      String endpoint = settings.endpoint().get();
      builder.setEndpoint(endpoint).setTransportChannelProvider(channel(endpoint, settings.plaintext()));
    }
    if (options.credentials().isPresent()) {
      builder.setCredentialsProvider(options.credentials().get());
    } else if (settings.plaintext() && options.channel().isEmpty()) {
      builder.setCredentialsProvider(NoCredentialsProvider.create());
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

  /** Closes the clients built here; the caller's stay open. Idempotent. */
  @Override
  public void close() {
    closeAll(owned);
  }

  private static void closeAll(List<AutoCloseable> clients) {
    RuntimeException failure = null;
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing a Cloud Run client failed", e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
