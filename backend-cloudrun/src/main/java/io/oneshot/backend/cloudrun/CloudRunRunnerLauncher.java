package io.oneshot.backend.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * method blocks for its calls; thread-safe (the clients are).
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
    Map<String, String> environment = new LinkedHashMap<>(spec.containerEnvironment());
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

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    return list(owner, false);
  }

  /** The owner's executions that have not finished yet (pending, running or cancelling). Blocks; idempotent. */
  public List<LaunchedRunner> listOwnedRunning(String owner) {
    return list(owner, true);
  }

  private List<LaunchedRunner> list(String owner, boolean unfinishedOnly) {
    List<LaunchedRunner> owned = new ArrayList<>();
    try {
      for (Execution execution : clients.executions.listExecutions(ListExecutionsRequest.newBuilder()
          .setParent(settings.jobName()).setPageSize(100).build()).iterateAll()) {
        if (unfinishedOnly && execution.hasCompletionTime()) {
          continue;
        }
        LaunchedRunner launched = launched(execution, Map.of());
        if (launched.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()) {
          owned.add(launched);
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
    // override env is readable by run.executions.get, so the credential is not secret storage.
    return new Capabilities(1, 0, false, false);
  }

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
}
