package io.oneshot.backend.ecs;

import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.RunnerLauncher;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OneshotException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
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
 * capacity-provider chain, or EC2), with the runner's credential in the container override env (sealed with
 * {@code seal-public-key} when set; a registration token is refused unsealed),
 * ownership tags on the task and {@code startedBy=oneshot}. A launcher created for stop, sweep and status
 * knows only the region and cluster: it lists, describes and stops tasks, and refuses to launch (describe
 * then reads the exit code of the container oneshot's RunTask override named, as {@link TaskStatusMapper}
 * says). Every method blocks for its AWS calls;
 * launch is idempotent per idempotency key (RunTask {@code clientToken}); terminate and describe are
 * safe to repeat; {@link #describeAll} costs one DescribeTasks per 100 tasks. Thread-safe (the SDK clients are).
 *
 * <p>Embedding code builds one with {@link #builder()}, passing its own {@link EcsClient} (and, to launch
 * with subnets or security groups by tag, optionally its own HTTP client and endpoint for the EC2 lookups) or
 * letting the builder create them from the SDK's default chains. {@link #close()} closes only the clients the
 * builder created, never yours.
 */
public final class EcsRunnerLauncher implements RunnerLauncher {
  /** The backend id. */
  public static final String ID = "ecs";
  /** The {@code startedBy} of every task oneshot runs, for people reading the console; the sweep goes by the owner tag. */
  public static final String STARTED_BY = "oneshot";
  private static final int DESCRIBE_BATCH = 100;

  private final EcsClient ecs;
  private final EcsScope scope;
  private final Optional<LaunchConfig> launchConfig;
  private final String region;
  private final Clock clock;
  private final boolean ownsClient;

  /**
   * What a launcher created for {@link io.oneshot.spi.LauncherPurpose#START} launches with: the checked
   * settings, the resolved runner container and network.
   */
  record LaunchConfig(EcsSettings settings, String containerName, Optional<EcsNetwork> network) {}

  /**
   * @param launchConfig empty for a launcher created for stop, sweep and status, which refuses to launch
   */
  EcsRunnerLauncher(EcsClient ecs, boolean ownsClient, EcsScope scope, Optional<LaunchConfig> launchConfig,
      String region, Clock clock) {
    this.ecs = ecs;
    this.ownsClient = ownsClient;
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
    if (spec.credential() instanceof RunnerCredential.RegistrationToken && settings.sealer().isEmpty()) {
      throw new LaunchFailedException(FailureKind.CONFIGURATION, "UnsealedRegistrationToken", "registration: token"
          + " on ECS would put a registration token (valid for an hour, for any number of runners) into the task's"
          + " overrides, which ecs:DescribeTasks shows to every reader of the cluster; set seal-public-key to seal"
          + " it (docs/sealed-jit.md), or use JIT registration");
    }
    Map<String, String> environment = spec.containerEnvironment(settings.sealer());
    int size = OverridesSize.of(containerName, environment, settings.cpu(), settings.memory());
    if (size > OverridesSize.LIMIT) {
      int credential = credentialLength(environment);
      throw new LaunchFailedException(FailureKind.CONFIGURATION, "OverridesTooLarge", "the ECS overrides for "
          + spec.runnerName() + " would be " + size + " characters, over ECS's limit of " + OverridesSize.LIMIT
          + " (the runner credential alone is " + credential + (settings.sealer().isPresent() ? ", sealed" : "")
          + "); use fewer or shorter labels and extra environment, or registration: token with seal-public-key,"
          + " whose overrides are small");
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

  /** The length of the credential as the container env carries it, plain or sealed. */
  private static int credentialLength(Map<String, String> environment) {
    return java.util.stream.Stream.of(RunnerEnvironment.JIT_CONFIG, RunnerEnvironment.RUNNER_TOKEN,
            RunnerEnvironment.SEALED_JIT_CONFIG, RunnerEnvironment.SEALED_RUNNER_TOKEN)
        .map(environment::get).filter(Objects::nonNull).mapToInt(String::length).sum();
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

  /**
   * One DescribeTasks per 100 tasks, answers in input order: a task ECS lists under {@code failures} (MISSING)
   * or leaves out of its answer is {@link io.oneshot.spi.ContainerState#GONE}. Blocks; idempotent.
   */
  @Override
  public List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    List<String> arns = runners.stream().map(LaunchedRunner::resourceId).distinct().toList();
    Map<String, ContainerStatus> byId = new HashMap<>();
    for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
      List<String> batch = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH));
      DescribeTasksResponse response;
      try {
        response = ecs.describeTasks(r -> r.cluster(scope.cluster()).tasks(batch));
      } catch (SdkException e) {
        throw EcsErrors.callFailure("ecs:DescribeTasks", e);
      }
      for (Task task : response.tasks()) {
        ContainerStatus status = TaskStatusMapper.map(task, containerName());
        byId.put(task.taskArn(), status);
        byId.put(taskId(task.taskArn()), status);
      }
      for (Failure failure : response.failures()) {
        if (failure.arn() != null) {
          ContainerStatus gone = ContainerStatus.gone("ECS reports the task " + failure.reason());
          byId.putIfAbsent(failure.arn(), gone);
          byId.putIfAbsent(taskId(failure.arn()), gone);
        }
      }
    }
    return runners.stream().map(runner -> byId.getOrDefault(runner.resourceId(),
        byId.getOrDefault(taskId(runner.resourceId()), ContainerStatus.gone("ECS reports the task MISSING"))))
        .toList();
  }

  private static String taskId(String arnOrId) {
    return arnOrId.substring(arnOrId.lastIndexOf('/') + 1);
  }

  /**
   * {@code ecs/<region>/<cluster name>}: a cluster given by ARN and by name is one scope. The region is the
   * settings', else the ARN's, else the one the SDK resolved.
   */
  @Override
  public String scopeKey() {
    String cluster = scope.cluster();
    String arnRegion = "";
    if (cluster.startsWith("arn:")) {
      String[] parts = cluster.split(":", 6);
      arnRegion = parts.length > 3 ? parts[3] : "";
      cluster = cluster.substring(cluster.lastIndexOf('/') + 1);
    }
    String effectiveRegion = scope.region().orElse(!arnRegion.isEmpty() ? arnRegion : region);
    return ID + "/" + effectiveRegion + "/" + cluster;
  }

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    return List.copyOf(listOwnedWithStatus(owner).keySet());
  }

  /**
   * What {@link #listOwned} finds, each with its status from the same DescribeTasks answers (no further call):
   * a sweep or status view needs no describe per task. Lists the cluster's tasks by desired status (RUNNING, then
   * STOPPED) without {@code startedBy} (ListTasks refuses it next to another filter), describes them with their
   * tags 100 at a time and keeps those whose {@code oneshot-owner} tag is the owner. In list order. A task ListTasks
   * names that DescribeTasks no longer finds is left out (its owner tag cannot be read), so no status here is
   * GONE; a stopped task is STOPPED, mapped as {@link #describeAll} maps it. Blocks for one ListTasks per 100 tasks
   * per desired status and one DescribeTasks per 100 tasks, the same calls as {@link #listOwned}; idempotent.
   */
  @Override
  public Map<LaunchedRunner, ContainerStatus> listOwnedWithStatus(String owner) {
    try {
      List<String> arns = new ArrayList<>();
      for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
        // No startedBy: ListTasks takes it only as the sole filter. The owner tag, read below, is what decides.
        ecs.listTasksPaginator(r -> r.cluster(scope.cluster()).desiredStatus(status).maxResults(100))
            .taskArns().forEach(arns::add);
      }
      Map<LaunchedRunner, ContainerStatus> owned = new LinkedHashMap<>();
      for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
        List<String> batch = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH));
        for (Task task : ecs.describeTasks(r -> r.cluster(scope.cluster()).tasks(batch).include(TaskField.TAGS))
            .tasks()) {
          LaunchedRunner launched = launched(task, Map.of());
          if (launched.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()) {
            owned.put(launched, TaskStatusMapper.map(task, containerName()));
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
    // The overrides are readable by ecs:DescribeTasks: the credential is secret only when sealed.
    boolean sealed = launchConfig.flatMap(c -> c.settings().sealer()).isPresent();
    return new Capabilities(Math.max(1, capacityOptions), OverridesSize.LIMIT, sealed, true);
  }

  /** Closes the ECS client when the builder created it; a client you passed in stays open. Idempotent. */
  @Override
  public void close() {
    if (ownsClient) {
      ecs.close();
    }
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

  /** A builder for embedding code; see {@link Builder}. Does not block. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link EcsRunnerLauncher} from typed settings and, optionally, the caller's own SDK clients.
   * For {@link LauncherPurpose#START} (the default) it needs {@link #settings}, and {@link #build()} resolves
   * the runner container (ECS DescribeTaskDefinition) and the network (EC2 DescribeSubnets /
   * DescribeSecurityGroups, only for tags) read-only, so that a wrong setting fails before anything is
   * created. For {@link LauncherPurpose#MANAGE} (stop, sweep, status) it needs {@link #settings} or
   * {@link #scope}, makes no EC2 lookup and no call.
   *
   * <p>Clients you pass are used as they are (their region, endpoint, credentials and retries) and are never
   * closed by the launcher: you own them. Clients the builder creates use the SDK's default chains, the
   * settings' region and endpoint, and {@link #credentialsProvider} and {@link #overrideConfiguration} when
   * given, and the JDK's HTTP client ({@code url-connection-client}: the jar carries no Apache or Netty client
   * for AWS); the launcher closes its ECS client on {@link EcsRunnerLauncher#close()}. The EC2 lookups (tags
   * only) are two signed query calls (see {@code Ec2Lookup}), not an SDK {@code Ec2Client}: they sign with
   * {@link #credentialsProvider} or else the ECS client's credentials, in the ECS client's region, with its retry
   * strategy, at {@link #ec2Endpoint} or else the builder's or settings' endpoint, {@code AWS_ENDPOINT_URL_EC2},
   * {@code AWS_ENDPOINT_URL} or the region's EC2 endpoint. Not thread-safe; every setter returns this builder.
   */
  public static final class Builder {
    private Optional<EcsSettings> settings = Optional.empty();
    private Optional<EcsScope> scope = Optional.empty();
    private Optional<EcsClient> ecsClient = Optional.empty();
    private Optional<SdkHttpClient> ec2HttpClient = Optional.empty();
    private Optional<URI> ec2Endpoint = Optional.empty();
    private Optional<AwsCredentialsProvider> credentials = Optional.empty();
    private Consumer<ClientOverrideConfiguration.Builder> override = o -> { };
    private Optional<URI> endpoint = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private LauncherPurpose purpose = LauncherPurpose.START;
    private boolean taskDefinitionFromName;

    private Builder() {}

    /**
     * The ECS and EC2 endpoint of the clients the builder creates, in place of the settings' {@code endpoint}
     * and the SDK's resolution: a VPC endpoint, LocalStack, a local fake.
     */
    public Builder endpoint(URI endpointOverride) {
      this.endpoint = Optional.of(endpointOverride);
      return this;
    }

    /** The checked settings ({@link EcsSettings#builder()} or {@link EcsSettings#parse}). Required to launch. */
    public Builder settings(EcsSettings settings) {
      this.settings = Optional.of(settings);
      return this;
    }

    /** Only the scope (region, cluster, endpoint): enough for {@link LauncherPurpose#MANAGE}. */
    public Builder scope(EcsScope scope) {
      this.scope = Optional.of(scope);
      return this;
    }

    /** Your ECS client; the launcher uses it as configured and never closes it. */
    public Builder ecsClient(EcsClient ecsClient) {
      this.ecsClient = Optional.of(ecsClient);
      return this;
    }

    /**
     * Your HTTP client for the EC2 subnet and security group lookups by tag at {@link #build()} (START only), for
     * a proxy or a sandbox; the launcher never closes it. Unset: a JDK-based client, closed after the lookups.
     */
    public Builder ec2HttpClient(SdkHttpClient httpClient) {
      this.ec2HttpClient = Optional.of(httpClient);
      return this;
    }

    /** The EC2 endpoint for the lookups by tag (a VPC endpoint, a fake), in place of the defaults above. */
    public Builder ec2Endpoint(URI endpointOverride) {
      this.ec2Endpoint = Optional.of(endpointOverride);
      return this;
    }

    /** Credentials for the clients the builder creates; unset: the SDK's default chain. */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = Optional.of(credentials);
      return this;
    }

    /** Adjusts the override configuration (retries, timeouts) of the clients the builder creates. */
    public Builder overrideConfiguration(Consumer<ClientOverrideConfiguration.Builder> override) {
      this.override = Objects.requireNonNull(override, "override");
      return this;
    }

    /** The clock for timestamps; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What the launcher is for; default {@link LauncherPurpose#START}. */
    public Builder purpose(LauncherPurpose purpose) {
      this.purpose = Objects.requireNonNull(purpose, "purpose");
      return this;
    }

    /** For the provider: messages about the task definition say that it came from {@code name}. */
    Builder taskDefinitionFromName(boolean fromName) {
      this.taskDefinitionFromName = fromName;
      return this;
    }

    /**
     * Builds the launcher. Blocks for the read-only lookups of START (none for MANAGE); creates nothing.
     *
     * @throws IllegalStateException when START has no settings, or MANAGE has neither settings nor scope
     * @throws InvalidSettingsException when the task definition, container or tags do not resolve, or no region
     *     is known for a client the builder creates
     * @throws OneshotException when a lookup fails otherwise (retryable when AWS did not answer)
     */
    public EcsRunnerLauncher build() {
      if (purpose == LauncherPurpose.START && settings.isEmpty()) {
        throw new IllegalStateException("an ECS launcher for START needs settings(EcsSettings)");
      }
      EcsScope effectiveScope = settings.map(EcsSettings::scope).or(() -> scope).orElseThrow(() ->
          new IllegalStateException("an ECS launcher needs settings(EcsSettings) or scope(EcsScope)"));
      boolean ownsEcs = ecsClient.isEmpty();
      EcsClient ecs = ecsClient.orElseGet(() -> newEcsClient(effectiveScope));
      String region = ecs.serviceClientConfiguration().region() == null ? effectiveScope.region().orElse("")
          : ecs.serviceClientConfiguration().region().id();
      if (purpose == LauncherPurpose.MANAGE) {
        return new EcsRunnerLauncher(ecs, ownsEcs, effectiveScope, Optional.empty(), region, clock);
      }
      EcsSettings launchSettings = settings.get();
      SdkHttpClient ownedHttp = null;
      try {
        String containerName = new ContainerNameResolver(ecs).resolve(launchSettings);
        Optional<EcsNetwork> network = Optional.empty();
        if (launchSettings.usesAwsvpc()) {
          boolean needsEc2 = launchSettings.subnetsTag().isPresent() || launchSettings.securityGroupsTag().isPresent();
          Ec2Lookup ec2 = null;
          if (needsEc2) {
            if (ec2HttpClient.isEmpty()) {
              ownedHttp = UrlConnectionHttpClient.create();
            }
            ec2 = newEc2Lookup(ecs, effectiveScope, region, ec2HttpClient.orElse(ownedHttp));
          }
          network = new NetworkResolver(ec2).resolve(launchSettings);
        }
        return new EcsRunnerLauncher(ecs, ownsEcs, effectiveScope,
            Optional.of(new LaunchConfig(launchSettings, containerName, network)), region, clock);
      } catch (SdkException e) {
        closeOwned(ecs, ownsEcs);
        throw resolutionFailure(launchSettings, e);
      } catch (RuntimeException e) {
        closeOwned(ecs, ownsEcs);
        throw e;
      } finally {
        if (ownedHttp != null) {
          ownedHttp.close();
        }
      }
    }

    private static void closeOwned(EcsClient ecs, boolean owned) {
      if (owned) {
        ecs.close();
      }
    }

    private EcsClient newEcsClient(EcsScope scope) {
      try {
        // The JDK's HttpURLConnection, set explicitly (not left to the SDK's service loading, which would pick
        // Apache 5 if it were on the class path): backend-ecs excludes apache5-client and netty-nio-client, ~3 MB
        // of the action jar, for a CLI that makes a handful of sequential calls.
        return configure(EcsClient.builder(), scope.region(), scope)
            .httpClientBuilder(ClosingHttpClient.builder()).build();
      } catch (SdkException e) {
        throw InvalidSettingsException.of(EcsSettings.REGION, "region is not set and the AWS SDK found none ("
            + e.getMessage() + "); set the region input or AWS_REGION");
      }
    }

    private Ec2Lookup newEc2Lookup(EcsClient ecs, EcsScope scope, String region, SdkHttpClient http) {
      String lookupRegion = scope.region().or(() -> Optional.of(region).filter(r -> !r.isEmpty())).orElseThrow(() ->
          InvalidSettingsException.of(EcsSettings.REGION, "region is not set and the AWS SDK found none; set the"
              + " region input or AWS_REGION"));
      IdentityProvider<? extends AwsCredentialsIdentity> identity = credentials
          .<IdentityProvider<? extends AwsCredentialsIdentity>>map(c -> c)
          .orElseGet(() -> ecs.serviceClientConfiguration().credentialsProvider());
      ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder();
      override.accept(overrides);
      var retries = overrides.build().retryStrategy()
          .or(() -> ecs.serviceClientConfiguration().overrideConfiguration().retryStrategy())
          .orElseGet(AwsRetryStrategy::defaultRetryStrategy);
      URI endpointUri = ec2Endpoint.or(() -> endpoint).or(scope::endpoint)
          .orElseGet(() -> Ec2Lookup.defaultEndpoint(lookupRegion));
      return new Ec2Lookup(http, endpointUri, lookupRegion, identity, retries);
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Optional<String> region, EcsScope scope) {
      builder.overrideConfiguration(override);
      region.map(Region::of).ifPresent(builder::region);
      endpoint.or(scope::endpoint).ifPresent(builder::endpointOverride);
      credentials.ifPresent(builder::credentialsProvider);
      return builder;
    }

    private OneshotException resolutionFailure(EcsSettings launchSettings, SdkException e) {
      String code = EcsErrors.code(e);
      if (code.equals("ClientException") || code.equals("InvalidParameterException")) {
        return InvalidSettingsException.of(EcsSettings.TASK_DEFINITION, "task-definition "
            + EcsSettings.quotedTaskDefinition(launchSettings.taskDefinition(), taskDefinitionFromName)
            + " could not be read (" + code + ": " + e.getMessage() + "); use the family, family:revision or ARN of"
            + " an existing task definition in this region");
      }
      return EcsErrors.callFailure("ecs:DescribeTaskDefinition/ec2:DescribeSubnets/ec2:DescribeSecurityGroups", e);
    }
  }
}
