package io.oneshot.backend.ecs;

import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Runs each runner as one ECS task of an existing task definition (Fargate, Fargate Spot through a
 * capacity-provider chain, or EC2), with the runner's credential in the container override env,
 * ownership tags on the task and {@code startedBy=oneshot}. A launcher created for stop, sweep and status
 * knows only the region and cluster: it lists, describes and stops tasks, and refuses to launch (describe
 * then reads the exit code of the container oneshot's RunTask override named, as {@link TaskStatusMapper}
 * says). Every method blocks for its AWS calls;
 * launch is idempotent per idempotency key (RunTask {@code clientToken}); terminate and describe are
 * safe to repeat. Thread-safe (the SDK clients are).
 */
public final class EcsRunnerLauncher implements RunnerLauncher {
  /** The backend id. */
  public static final String ID = "ecs";
  /** The {@code startedBy} of every task oneshot runs; ListTasks filters on it. */
  public static final String STARTED_BY = "oneshot";
  private static final int DESCRIBE_BATCH = 100;

  private final EcsClient ecs;
  private final EcsScope scope;
  private final Optional<LaunchConfig> launchConfig;
  private final String region;
  private final Clock clock;

  /**
   * What a launcher created for {@link io.oneshot.spi.LauncherPurpose#START} launches with: the checked
   * settings, the resolved runner container and network.
   */
  record LaunchConfig(EcsSettings settings, String containerName, Optional<EcsNetwork> network) {}

  /**
   * @param launchConfig empty for a launcher created for stop, sweep and status, which refuses to launch
   */
  EcsRunnerLauncher(EcsClient ecs, EcsScope scope, Optional<LaunchConfig> launchConfig, String region, Clock clock) {
    this.ecs = ecs;
    this.scope = scope;
    this.launchConfig = launchConfig;
    this.region = region;
    this.clock = clock;
  }

  /** The container whose environment carries the runner's credential; empty for a stop/sweep/status launcher. */
  public Optional<String> containerName() {
    return launchConfig.map(LaunchConfig::containerName);
  }

  /** The resolved network (subnet and security group ids), empty without awsvpc or for stop/sweep/status. */
  public Optional<EcsNetwork> network() {
    return launchConfig.flatMap(LaunchConfig::network);
  }

  @Override
  public LaunchedRunner launch(LaunchSpec spec) {
    LaunchConfig config = launchConfig.orElseThrow(() -> new IllegalStateException("this ECS launcher was created"
        + " for stop/sweep/status (LauncherPurpose.MANAGE) and cannot launch; create one for START"));
    EcsSettings settings = config.settings();
    String containerName = config.containerName();
    Map<String, String> environment = spec.containerEnvironment();
    int size = OverridesSize.of(containerName, environment, settings.cpu(), settings.memory());
    if (size > OverridesSize.LIMIT) {
      String credential = spec.credential().secret();
      throw new LaunchFailedException(FailureKind.CONFIGURATION, "OverridesTooLarge", "the ECS overrides for "
          + spec.runnerName() + " would be " + size + " characters, over ECS's limit of " + OverridesSize.LIMIT
          + " (the runner credential alone is " + credential.length() + "); use fewer or shorter labels and extra"
          + " environment, or registration: token, whose overrides are small");
    }
    RunTaskRequest request = runTaskRequest(config, spec, environment);
    RunTaskResponse response;
    try {
      response = ecs.runTask(request);
    } catch (SdkException e) {
      throw EcsErrors.launchFailure("ecs:RunTask", e);
    }
    if (response.tasks().isEmpty()) {
      throw refused(response.failures());
    }
    // RunTask answers need not echo the tags (DescribeTasks returns them only with include=TAGS).
    return launched(response.tasks().get(0), spec.tags());
  }

  private static RunTaskRequest runTaskRequest(LaunchConfig config, LaunchSpec spec, Map<String, String> environment) {
    EcsSettings settings = config.settings();
    ContainerOverride container = ContainerOverride.builder().name(config.containerName())
        .environment(environment.entrySet().stream()
            .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
        .build();
    TaskOverride.Builder overrides = TaskOverride.builder().containerOverrides(container);
    settings.cpu().ifPresent(overrides::cpu);
    settings.memory().ifPresent(overrides::memory);
    RunTaskRequest.Builder request = RunTaskRequest.builder()
        .cluster(settings.cluster())
        .taskDefinition(settings.taskDefinition())
        .count(1)
        .startedBy(STARTED_BY)
        .clientToken(spec.idempotencyKey())
        .overrides(overrides.build())
        .tags(spec.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
            .toList());
    if (!settings.capacityProviders().isEmpty()) {
      int option = Math.min(spec.capacityOption(), settings.capacityProviders().size() - 1);
      request.capacityProviderStrategy(CapacityProviderStrategyItem.builder()
          .capacityProvider(settings.capacityProviders().get(option)).weight(1).build());
    } else {
      request.launchType(settings.launchType().map(LaunchType::fromValue).orElse(LaunchType.FARGATE));
    }
    config.network().ifPresent(net -> request.networkConfiguration(n -> n.awsvpcConfiguration(a -> a
        .subnets(net.subnets())
        .securityGroups(net.securityGroups())
        .assignPublicIp(net.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED))));
    settings.platformVersion().ifPresent(request::platformVersion);
    return request.build();
  }

  /** A RunTask answer with no task: capacity reasons are retryable with the next capacity option. */
  private static LaunchFailedException refused(List<Failure> failures) {
    String reasons = failures.stream().map(f -> f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")"))
        .collect(Collectors.joining("; "));
    if (reasons.isEmpty()) {
      reasons = "RunTask answered with neither a task nor a failure";
    }
    boolean capacity = failures.stream().anyMatch(f -> f.reason() != null
        && TaskStatusMapper.isCapacity(f.reason().toLowerCase(Locale.ROOT)));
    FailureKind kind = capacity ? FailureKind.CAPACITY : FailureKind.CONFIGURATION;
    return new LaunchFailedException(kind, reasons, "ECS did not start the task: " + reasons);
  }

  @Override
  public ContainerStatus describe(LaunchedRunner runner) {
    DescribeTasksResponse response;
    try {
      response = ecs.describeTasks(r -> r.cluster(scope.cluster()).tasks(runner.resourceId()));
    } catch (SdkException e) {
      throw EcsErrors.callFailure("ecs:DescribeTasks", e);
    }
    if (response.tasks().isEmpty()) {
      String reason = response.failures().stream().map(Failure::reason).findFirst().orElse("MISSING");
      return ContainerStatus.gone("ECS reports the task " + reason);
    }
    return TaskStatusMapper.map(response.tasks().get(0), containerName());
  }

  @Override
  public void terminate(LaunchedRunner runner, String reason) {
    String shortReason = reason.length() > 255 ? reason.substring(0, 255) : reason;
    try {
      ecs.stopTask(r -> r.cluster(scope.cluster()).task(runner.resourceId()).reason(shortReason));
    } catch (SdkException e) {
      if (isTaskNotFound(e)) {
        return;
      }
      throw EcsErrors.callFailure("ecs:StopTask", e);
    }
  }

  private static boolean isTaskNotFound(SdkException e) {
    String code = EcsErrors.code(e);
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return (code.equals("InvalidParameterException") || code.equals("ClientException"))
        && message.contains("not found");
  }

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    try {
      List<String> arns = new ArrayList<>();
      for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
        ecs.listTasksPaginator(r -> r.cluster(scope.cluster()).startedBy(STARTED_BY).desiredStatus(status)
            .maxResults(100)).taskArns().forEach(arns::add);
      }
      List<LaunchedRunner> owned = new ArrayList<>();
      for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
        List<String> batch = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH));
        for (Task task : ecs.describeTasks(r -> r.cluster(scope.cluster()).tasks(batch).include(TaskField.TAGS))
            .tasks()) {
          LaunchedRunner launched = launched(task, Map.of());
          if (launched.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()) {
            owned.add(launched);
          }
        }
      }
      return owned;
    } catch (SdkException e) {
      throw EcsErrors.callFailure("ecs:ListTasks/ecs:DescribeTasks", e);
    }
  }

  @Override
  public Capabilities capabilities() {
    int capacityOptions = launchConfig.map(c -> c.settings().capacityProviders().size()).orElse(0);
    return new Capabilities(Math.max(1, capacityOptions), OverridesSize.LIMIT, false, true);
  }

  @Override
  public void close() {
    ecs.close();
  }

  private LaunchedRunner launched(Task task, Map<String, String> knownTags) {
    Map<String, String> tags = task.tags().isEmpty() ? knownTags
        : task.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    return new LaunchedRunner(ID, task.taskArn(), region, TaskStatusMapper.privateIp(task), consoleUrl(task.taskArn()),
        task.createdAt() != null ? task.createdAt() : clock.instant(), tags);
  }

  private Optional<URI> consoleUrl(String taskArn) {
    String[] parts = taskArn.split("/");
    if (parts.length < 3 || region.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(URI.create("https://" + region + ".console.aws.amazon.com/ecs/v2/clusters/" + parts[1]
        + "/tasks/" + parts[2] + "/configuration?region=" + region));
  }
}
