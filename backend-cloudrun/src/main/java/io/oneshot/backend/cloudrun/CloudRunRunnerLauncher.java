package io.oneshot.backend.cloudrun;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TasksClient;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each runner as one execution of an existing Cloud Run job (RunJob with overrides: the runner's
 * credential, runner name and ownership values as container env, {@code task_count} 1, {@code timeout} the
 * max lifetime). Launch returns as soon as Cloud Run accepted the execution: the execution comes from the
 * operation's metadata and the operation is never polled (it ends only when the execution does). Describe
 * reads the execution (and, for a failed one, its task's exit code); terminate cancels it; listOwned reads
 * the ownership env of the job's executions.
 *
 * <p>Idempotency: RunJob takes no client token. A key this launcher has launched returns its execution
 * without a call; any other key first costs one ListExecutions page (newest first, stopping at executions
 * older than {@link #IDEMPOTENCY_LOOKBACK}), looking for an execution whose env carries the key. Every
 * method blocks for its calls; thread-safe (the clients are). {@link #describeAll} reads the job's executions
 * with ListExecutions (100 a page) instead of one GetExecution each.
 *
 * <p>Embedding code builds one with {@link #builder()}, passing its own Jobs, Executions and Tasks clients, or
 * credentials or a transport for the clients the builder creates. {@link #close()} closes only the clients the
 * builder created, never yours.
 */
public final class CloudRunRunnerLauncher implements RunnerLauncher {
  /** The backend id. */
  public static final String ID = "cloudrun";
  /** How far back launch looks for an execution of the same idempotency key. */
  public static final Duration IDEMPOTENCY_LOOKBACK = Duration.ofHours(1);
  /** Cloud Run's longest task timeout. */
  static final Duration MAX_TIMEOUT = Duration.ofHours(168);
  /** Cloud Run's limit on one env value. */
  static final int MAX_VALUE_BYTES = 32768;
  private static final int LIST_PAGE = 50;
  private static final int DESCRIBE_PAGE = 100;
  /** How far before the oldest asked-for execution describeAll keeps paging (newest first) before calling it gone. */
  private static final Duration DESCRIBE_SLACK = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(CloudRunRunnerLauncher.class);

  private final CloudRunClients clients;
  private final CloudRunSettings settings;
  private final Optional<String> containerName;
  private final Clock clock;
  private final Map<String, LaunchedRunner> launchedByKey = new ConcurrentHashMap<>();

  /**
   * @param containerName the runner's container, resolved from the job to launch; empty for a launcher made for
   *     stop, sweep and status, which refuses to launch and reads ownership from the container carrying it
   */
  CloudRunRunnerLauncher(CloudRunClients clients, CloudRunSettings settings, Optional<String> containerName,
      Clock clock) {
    this.clients = clients;
    this.settings = settings;
    this.containerName = containerName;
    this.clock = clock;
  }

  /**
   * The job container whose env carries the runner's credential (an empty name for a job's unnamed only
   * container); empty for a stop/sweep/status launcher.
   */
  public Optional<String> containerName() {
    return containerName;
  }

  @Override
  public LaunchedRunner launch(LaunchSpec spec) {
    String runnerContainer = containerName.orElseThrow(() -> new IllegalStateException("this Cloud Run launcher was"
        + " created for stop/sweep/status (LauncherPurpose.MANAGE) and cannot launch; create one for START"));
    Map<String, String> environment = environment(spec);
    LaunchedRunner known = launchedByKey.get(spec.idempotencyKey());
    if (known != null) {
      return known;
    }
    Optional<LaunchedRunner> existing = findByKey(spec.idempotencyKey());
    if (existing.isPresent()) {
      launchedByKey.put(spec.idempotencyKey(), existing.get());
      return existing.get();
    }
    RunJobRequest.Overrides.ContainerOverride.Builder container = RunJobRequest.Overrides.ContainerOverride
        .newBuilder().setName(runnerContainer);
    environment.forEach((name, value) -> container.addEnv(EnvVar.newBuilder().setName(name).setValue(value)));
    RunJobRequest request = RunJobRequest.newBuilder().setName(settings.jobName())
        .setOverrides(RunJobRequest.Overrides.newBuilder().addContainerOverrides(container).setTaskCount(1)
            .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(spec.maxLifetime().getSeconds())))
        .build();
    Operation operation;
    try {
      // The unary callable answers the first Operation; the operation callable would poll until the execution
      // ends, and give up after its 300 s total timeout.
      operation = clients.jobs.runJobCallable().call(request);
    } catch (ApiException e) {
      throw CloudRunErrors.launchFailure("RunJob", "job " + settings.job(), e);
    } catch (UncheckedIOException e) {
      throw CloudRunErrors.transportLaunchFailure("RunJob", "job " + settings.job(), e);
    }
    Execution execution = execution(operation);
    LaunchedRunner launched = launched(execution, spec.tags());
    launchedByKey.put(spec.idempotencyKey(), launched);
    return launched;
  }

  /** The container env: the runner image's contract, the ownership values and the idempotency key. */
  private Map<String, String> environment(LaunchSpec spec) {
    if (spec.maxLifetime().isZero() || spec.maxLifetime().isNegative() || spec.maxLifetime().compareTo(MAX_TIMEOUT) > 0) {
      throw new LaunchFailedException(FailureKind.CONFIGURATION, "InvalidTimeout", "max lifetime "
          + spec.maxLifetime() + " of " + spec.runnerName() + " is not a Cloud Run task timeout; use 1 second to 168"
          + " hours");
    }
    if (spec.credential() instanceof RunnerCredential.RegistrationToken && settings.sealer().isEmpty()) {
      throw new LaunchFailedException(FailureKind.CONFIGURATION, "UnsealedRegistrationToken", "registration: token"
          + " on Cloud Run would put a registration token (valid for an hour, for any number of runners) into the"
          + " execution's overrides, which run.executions.get shows to every viewer of the job; set seal-public-key"
          + " to seal it (docs/sealed-jit.md), or use JIT registration");
    }
    Map<String, String> environment = new LinkedHashMap<>(spec.containerEnvironment(settings.sealer()));
    environment.putAll(OwnershipEnv.env(spec.tags()));
    environment.put(OwnershipEnv.IDEMPOTENCY_KEY, spec.idempotencyKey());
    environment.forEach((name, value) -> {
      if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
        throw new LaunchFailedException(FailureKind.CONFIGURATION, "EnvValueTooLong", "the env variable " + name
            + " of " + spec.runnerName() + " is over Cloud Run's limit of " + MAX_VALUE_BYTES + " bytes per value;"
            + " shorten it (for the JIT config: fewer or shorter labels)");
      }
    });
    return environment;
  }

  /** The newest execution launched with this key within the lookback; one ListExecutions page in most cases. */
  private Optional<LaunchedRunner> findByKey(String key) {
    Instant horizon = clock.instant().minus(IDEMPOTENCY_LOOKBACK);
    ListExecutionsRequest.Builder request = ListExecutionsRequest.newBuilder().setParent(settings.jobName())
        .setPageSize(LIST_PAGE);
    try {
      for (ExecutionsClient.ListExecutionsPage page : clients.executions.listExecutions(request.build()).iteratePages()) {
        for (Execution execution : page.getValues()) {
          if (created(execution).isBefore(horizon)) {
            return Optional.empty();
          }
          if (OwnershipEnv.idempotencyKey(execution, containerName).filter(key::equals).isPresent()) {
            return Optional.of(launched(execution, Map.of()));
          }
        }
      }
      return Optional.empty();
    } catch (ApiException e) {
      throw CloudRunErrors.launchFailure("ListExecutions", "job " + settings.job(), e);
    } catch (UncheckedIOException e) {
      throw CloudRunErrors.transportLaunchFailure("ListExecutions", "job " + settings.job(), e);
    }
  }

  private static Execution execution(Operation operation) {
    try {
      if (operation.hasMetadata() && operation.getMetadata().is(Execution.class)) {
        return operation.getMetadata().unpack(Execution.class);
      }
      if (operation.hasResponse() && operation.getResponse().is(Execution.class)) {
        return operation.getResponse().unpack(Execution.class);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new LaunchFailedException(FailureKind.UNKNOWN, "UnreadableOperation", "Cloud Run RunJob answered operation "
          + operation.getName() + " with an unreadable execution: " + e.getMessage(), e);
    }
    throw new LaunchFailedException(FailureKind.UNKNOWN, "NoExecution", "Cloud Run RunJob answered operation "
        + operation.getName() + " without the execution in its metadata");
  }

  @Override
  public ContainerStatus describe(LaunchedRunner runner) {
    Execution execution;
    try {
      execution = clients.executions.getExecution(runner.resourceId());
    } catch (ApiException e) {
      if (CloudRunErrors.code(e) == StatusCode.Code.NOT_FOUND) {
        return ContainerStatus.gone("Cloud Run no longer knows the execution (deleted or expired)");
      }
      throw CloudRunErrors.callFailure("GetExecution", runner.resourceId(), e);
    } catch (UncheckedIOException e) {
      throw CloudRunErrors.transportFailure("GetExecution", runner.resourceId(), e);
    }
    return ExecutionStatusMapper.map(execution, () -> exitCode(execution));
  }

  /**
   * The job's executions through ListExecutions, 100 a page, newest first, until every asked-for execution is
   * found or the pages reach executions created well before the oldest of them ({@link #DESCRIBE_SLACK}): one
   * call per 100 executions of the job instead of one GetExecution each. An execution the list does not hold is
   * {@link io.oneshot.spi.ContainerState#GONE}, as GetExecution's NOT_FOUND is; an execution of another job is
   * described alone. A failed execution costs one ListTasks for its exit code, as in {@link #describe}. Answers in
   * input order. Blocks; idempotent.
   */
  @Override
  public List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    String prefix = settings.jobName() + "/executions/";
    Set<String> wanted = new HashSet<>();
    Instant oldest = null;
    for (LaunchedRunner runner : runners) {
      if (runner.resourceId().startsWith(prefix)) {
        wanted.add(runner.resourceId());
        oldest = oldest == null || runner.launchedAt().isBefore(oldest) ? runner.launchedAt() : oldest;
      }
    }
    Map<String, ContainerStatus> found = new HashMap<>();
    if (!wanted.isEmpty()) {
      Instant horizon = oldest.minus(DESCRIBE_SLACK);
      try {
        pages:
        for (ExecutionsClient.ListExecutionsPage page : clients.executions.listExecutions(ListExecutionsRequest
            .newBuilder().setParent(settings.jobName()).setPageSize(DESCRIBE_PAGE).build()).iteratePages()) {
          for (Execution execution : page.getValues()) {
            if (wanted.contains(execution.getName())) {
              found.put(execution.getName(), ExecutionStatusMapper.map(execution, () -> exitCode(execution)));
            }
            if (found.size() == wanted.size() || created(execution).isBefore(horizon)) {
              break pages;
            }
          }
        }
      } catch (ApiException e) {
        throw CloudRunErrors.callFailure("ListExecutions", "job " + settings.job(), e);
      } catch (UncheckedIOException e) {
        throw CloudRunErrors.transportFailure("ListExecutions", "job " + settings.job(), e);
      }
    }
    return runners.stream().map(runner -> !runner.resourceId().startsWith(prefix) ? describe(runner)
        : found.getOrDefault(runner.resourceId(),
            ContainerStatus.gone("Cloud Run no longer knows the execution (deleted or expired)"))).toList();
  }

  /** The exit code of the execution's task's last attempt; empty when it cannot be read. */
  private Optional<Integer> exitCode(Execution execution) {
    try {
      for (Task task : clients.tasks.listTasks(ListTasksRequest.newBuilder().setParent(execution.getName())
          .setPageSize(1).build()).getPage().getValues()) {
        if (task.hasLastAttemptResult()) {
          return Optional.of(task.getLastAttemptResult().getExitCode());
        }
      }
    } catch (ApiException | UncheckedIOException e) {
      LOG.debug("cannot read the exit code of {}: {}", execution.getName(), e instanceof ApiException api
          ? CloudRunErrors.describe("ListTasks", execution.getName(), api) : e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public void terminate(LaunchedRunner runner, String reason) {
    try {
      clients.executions.cancelExecutionCallable().call(CancelExecutionRequest.newBuilder()
          .setName(runner.resourceId()).build());
      LOG.debug("cancelled {}: {}", runner.resourceId(), reason);
    } catch (ApiException e) {
      StatusCode.Code code = CloudRunErrors.code(e);
      if (code == StatusCode.Code.NOT_FOUND || code == StatusCode.Code.FAILED_PRECONDITION) {
        return; // gone, or already finished: nothing runs any more
      }
      throw CloudRunErrors.callFailure("CancelExecution", runner.resourceId(), e);
    } catch (UncheckedIOException e) {
      throw CloudRunErrors.transportFailure("CancelExecution", runner.resourceId(), e);
    }
  }

  /** {@code cloudrun/<project>/<region>/<job>}: the executions of one job are one owner's view. */
  @Override
  public String scopeKey() {
    return ID + "/" + settings.project() + "/" + settings.region() + "/" + settings.job();
  }

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    return List.copyOf(list(owner, false).keySet());
  }

  /** The owner's executions that have not finished yet (pending, running or cancelling). Blocks; idempotent. */
  public List<LaunchedRunner> listOwnedRunning(String owner) {
    return List.copyOf(list(owner, true).keySet());
  }

  /**
   * What {@link #listOwned} finds, each with its status mapped from the same ListExecutions answer: no
   * GetExecution per runner and no second ListExecutions pass (a failed execution still costs one ListTasks for
   * its exit code, as in {@link #describeAll}). In list order, newest first. Every execution here is one Cloud Run
   * still lists, so none is GONE. Blocks for one ListExecutions per 100 executions of the job, the same calls as
   * {@link #listOwned}; idempotent.
   */
  @Override
  public Map<LaunchedRunner, ContainerStatus> listOwnedWithStatus(String owner) {
    Map<LaunchedRunner, Execution> owned = list(owner, false);
    Map<LaunchedRunner, ContainerStatus> statuses = new LinkedHashMap<>();
    owned.forEach((launched, execution) -> statuses.put(launched,
        ExecutionStatusMapper.map(execution, () -> exitCode(execution))));
    return statuses;
  }

  private Map<LaunchedRunner, Execution> list(String owner, boolean unfinishedOnly) {
    Map<LaunchedRunner, Execution> owned = new LinkedHashMap<>();
    try {
      for (Execution execution : clients.executions.listExecutions(ListExecutionsRequest.newBuilder()
          .setParent(settings.jobName()).setPageSize(100).build()).iterateAll()) {
        if (unfinishedOnly && execution.hasCompletionTime()) {
          continue;
        }
        LaunchedRunner launched = launched(execution, Map.of());
        if (launched.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()) {
          owned.put(launched, execution);
        }
      }
    } catch (ApiException e) {
      throw CloudRunErrors.callFailure("ListExecutions", "job " + settings.job(), e);
    } catch (UncheckedIOException e) {
      throw CloudRunErrors.transportFailure("ListExecutions", "job " + settings.job(), e);
    }
    return owned;
  }

  @Override
  public Capabilities capabilities() {
    // One capacity option (nothing to fall back to); env values are capped per value, checked at launch;
    // override env is readable by run.executions.get, so the credential is secret only when sealed.
    return new Capabilities(1, 0, settings.sealer().isPresent(), false);
  }

  /** Closes the clients the builder created; clients you passed in stay open. Idempotent. */
  @Override
  public void close() {
    clients.close();
  }

  private LaunchedRunner launched(Execution execution, Map<String, String> knownTags) {
    Map<String, String> tags = OwnershipEnv.tags(execution, containerName);
    if (tags.isEmpty()) {
      tags = knownTags;
    }
    String id = execution.getName().substring(execution.getName().lastIndexOf('/') + 1);
    URI console = URI.create("https://console.cloud.google.com/run/jobs/executions/details/" + settings.region() + "/"
        + id + "?project=" + settings.project());
    return new LaunchedRunner(ID, execution.getName(), settings.region(), Optional.empty(), Optional.of(console),
        created(execution), tags);
  }

  private Instant created(Execution execution) {
    return execution.hasCreateTime()
        ? Instant.ofEpochSecond(execution.getCreateTime().getSeconds(), execution.getCreateTime().getNanos())
        : clock.instant();
  }

  /** A builder for embedding code; see {@link Builder}. Does not block. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link CloudRunRunnerLauncher} from typed settings and, optionally, the caller's own clients. For
   * {@link LauncherPurpose#START} (the default) {@link #build()} reads the job (GetJob) so that a missing or
   * unreadable job, or an ambiguous runner container, fails before anything is created; for
   * {@link LauncherPurpose#MANAGE} it makes no call.
   *
   * <p>A {@link JobsClient}, {@link ExecutionsClient} or {@link TasksClient} you pass is used as configured and
   * never closed by the launcher: you own it. The clients the builder creates (for whatever you did not pass)
   * use the settings' endpoint and plaintext flag, {@link #transportChannelProvider} and
   * {@link #credentialsProvider} when given (else Application Default Credentials; none for a plaintext
   * endpoint), and {@link #retrySettings}; the launcher closes them. Not thread-safe; every setter returns this
   * builder.
   */
  public static final class Builder {
    private Optional<CloudRunSettings> settings = Optional.empty();
    private Optional<JobsClient> jobs = Optional.empty();
    private Optional<ExecutionsClient> executions = Optional.empty();
    private Optional<TasksClient> tasks = Optional.empty();
    private Optional<TransportChannelProvider> channel = Optional.empty();
    private Optional<CredentialsProvider> credentials = Optional.empty();
    private RetrySettings retries = CloudRunClients.DEFAULT_RETRIES;
    private Clock clock = Clock.systemUTC();
    private LauncherPurpose purpose = LauncherPurpose.START;

    private Builder() {}

    /** The checked settings ({@link CloudRunSettings#builder()} or {@link CloudRunSettings#parse}). Required. */
    public Builder settings(CloudRunSettings settings) {
      this.settings = Optional.of(settings);
      return this;
    }

    /** Your Jobs client (GetJob, RunJob); never closed by the launcher. */
    public Builder jobsClient(JobsClient jobsClient) {
      this.jobs = Optional.of(jobsClient);
      return this;
    }

    /** Your Executions client (GetExecution, ListExecutions, CancelExecution); never closed by the launcher. */
    public Builder executionsClient(ExecutionsClient executionsClient) {
      this.executions = Optional.of(executionsClient);
      return this;
    }

    /** Your Tasks client (ListTasks, for a failed execution's exit code); never closed by the launcher. */
    public Builder tasksClient(TasksClient tasksClient) {
      this.tasks = Optional.of(tasksClient);
      return this;
    }

    /** The transport of the clients the builder creates (for example an in-process or your own gRPC channel). */
    public Builder transportChannelProvider(TransportChannelProvider channel) {
      this.channel = Optional.of(channel);
      return this;
    }

    /** The credentials of the clients the builder creates; unset: Application Default Credentials. */
    public Builder credentialsProvider(CredentialsProvider credentials) {
      this.credentials = Optional.of(credentials);
      return this;
    }

    /**
     * The retry backoff of the clients the builder creates (reads and cancel retry UNAVAILABLE and
     * RESOURCE_EXHAUSTED, RunJob only RESOURCE_EXHAUSTED); default 0.5 s doubling to 8 s, 5 attempts in 60 s.
     */
    public Builder retrySettings(RetrySettings retries) {
      this.retries = Objects.requireNonNull(retries, "retries");
      return this;
    }

    /** The clock for timestamps and the idempotency lookback; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What the launcher is for; default {@link LauncherPurpose#START}. */
    public Builder purpose(LauncherPurpose purpose) {
      this.purpose = Objects.requireNonNull(purpose, "purpose");
      return this;
    }

    /**
     * Builds the launcher. Blocks while credentials load and for GetJob (START only); creates nothing.
     *
     * @throws IllegalStateException without settings
     * @throws InvalidSettingsException when no credentials are found, or the job or container does not resolve
     */
    public CloudRunRunnerLauncher build() {
      CloudRunSettings checked = settings.orElseThrow(() ->
          new IllegalStateException("a Cloud Run launcher needs settings(CloudRunSettings)"));
      CloudRunClients clients;
      try {
        clients = CloudRunClients.create(checked, new CloudRunClients.Options(channel, credentials, retries, jobs,
            executions, tasks));
      } catch (IOException e) {
        throw InvalidSettingsException.of(InvalidSettingsException.GENERAL, "no Google credentials were found ("
            + e.getMessage() + "); authenticate with google-github-actions/auth (Workload Identity Federation)"
            + " before oneshot, or set GOOGLE_APPLICATION_CREDENTIALS");
      }
      if (purpose == LauncherPurpose.MANAGE) {
        return new CloudRunRunnerLauncher(clients, checked, Optional.empty(), clock);
      }
      try {
        String container = runnerContainer(checked, readJob(clients, checked));
        return new CloudRunRunnerLauncher(clients, checked, Optional.of(container), clock);
      } catch (RuntimeException e) {
        clients.close();
        throw e;
      }
    }

    private static Job readJob(CloudRunClients clients, CloudRunSettings settings) {
      try {
        return clients.jobs.getJob(settings.jobName());
      } catch (ApiException e) {
        StatusCode.Code code = CloudRunErrors.code(e);
        if (code == StatusCode.Code.NOT_FOUND) {
          throw InvalidSettingsException.of(CloudRunSettings.JOB, "job '" + settings.job() + "' does not exist in"
              + " project " + settings.project() + ", region " + settings.region() + "; give the name of an existing"
              + " Cloud Run job (gcloud run jobs list --region " + settings.region() + ")");
        }
        if (code == StatusCode.Code.PERMISSION_DENIED) {
          throw InvalidSettingsException.of(CloudRunSettings.JOB, "job '" + settings.job() + "' could not be read: "
              + CloudRunErrors.describe("GetJob", settings.jobName(), e));
        }
        throw CloudRunErrors.callFailure("GetJob", settings.jobName(), e);
      }
    }

    /** The named container, else the job's only container. */
    private static String runnerContainer(CloudRunSettings settings, Job job) {
      List<Container> containers = job.getTemplate().getTemplate().getContainersList();
      if (job.getTemplate().getTemplate().getMaxRetries() > 0) {
        LOG.warn("Cloud Run job {} retries failed tasks ({} times); a retry reuses the runner's single-use JIT"
            + " config, which GitHub refuses: set max retries to 0 on the job", settings.job(),
            job.getTemplate().getTemplate().getMaxRetries());
      }
      List<String> names = containers.stream().map(Container::getName).toList();
      if (settings.container().isPresent()) {
        String wanted = settings.container().get();
        if (!names.contains(wanted)) {
          throw InvalidSettingsException.of(CloudRunSettings.CONTAINER, "container '" + wanted + "' is not a"
              + " container of job " + settings.job() + "; its containers: " + String.join(", ", names));
        }
        return wanted;
      }
      if (containers.size() == 1) {
        return names.get(0);
      }
      throw InvalidSettingsException.of(CloudRunSettings.CONTAINER, "job " + settings.job() + " has "
          + containers.size() + " containers (" + String.join(", ", names) + "); set container to the runner's");
    }
  }
}
