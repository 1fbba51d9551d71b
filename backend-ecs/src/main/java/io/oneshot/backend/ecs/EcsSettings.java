package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.CredentialSealer;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ECS backend's settings for launching, parsed and checked all at once from the action's inputs (the
 * names below are the input names; {@link #DEFINITIONS} declares them). Values only; nothing here calls AWS.
 *
 * @param region the AWS region; empty to use the SDK's region chain
 * @param cluster the cluster name or ARN
 * @param taskDefinition family, family:revision or ARN of an existing task definition
 * @param containerName the runner's container; empty to resolve it from the task definition
 * @param launchType {@code FARGATE} or {@code EC2}, when no capacity providers are given
 * @param capacityProviders an ordered fallback chain such as FARGATE_SPOT, FARGATE
 * @param subnets subnet ids
 * @param subnetsTag a tag selecting subnets
 * @param securityGroups security group ids
 * @param securityGroupsTag a tag selecting security groups
 * @param assignPublicIp whether the task gets a public IP
 * @param platformVersion the Fargate platform version, for example {@code LATEST}
 * @param cpu task-level cpu override (units, e.g. 1024)
 * @param memory task-level memory override (MiB)
 * @param endpoint an endpoint override for both ECS and EC2 (tests, LocalStack)
 * @param sealer from {@code seal-public-key}: seals each JIT config or registration token so that
 *     {@code ecs:DescribeTasks} shows only ciphertext; empty: the credential goes in plain (docs/sealed-jit.md)
 */
public record EcsSettings(
    Optional<String> region,
    String cluster,
    String taskDefinition,
    Optional<String> containerName,
    Optional<String> launchType,
    List<String> capacityProviders,
    List<String> subnets,
    Optional<TagFilter> subnetsTag,
    List<String> securityGroups,
    Optional<TagFilter> securityGroupsTag,
    boolean assignPublicIp,
    Optional<String> platformVersion,
    Optional<String> cpu,
    Optional<String> memory,
    Optional<URI> endpoint,
    Optional<CredentialSealer> sealer) {

  static final String REGION = "region";
  static final String CLUSTER = "cluster";
  static final String TASK_DEFINITION = "task-definition";
  static final String CONTAINER_NAME = "container-name";
  static final String LAUNCH_TYPE = "launch-type";
  static final String CAPACITY_PROVIDERS = "capacity-providers";
  static final String SUBNETS = "subnets";
  static final String SUBNETS_TAG = "subnets-tag";
  static final String SECURITY_GROUPS = "security-groups";
  static final String SECURITY_GROUPS_TAG = "security-groups-tag";
  static final String ASSIGN_PUBLIC_IP = "assign-public-ip";
  static final String PLATFORM_VERSION = "platform-version";
  static final String CPU_SETTING = "cpu";
  static final String MEMORY_SETTING = "memory";
  static final String ENDPOINT = "endpoint";
  static final String SEAL_PUBLIC_KEY = "seal-public-key";
  /**
   * Not an ECS setting but the action's runner name prefix, which the action passes along: the default of
   * {@code task-definition}.
   */
  static final String NAME = "name";

  /** Every setting the ECS backend reads, as {@link EcsLauncherProvider#settings()} declares them. */
  static final List<SettingDefinition> DEFINITIONS = List.of(
      SettingDefinition.forEveryMode(REGION, null,
          "AWS region of the cluster, e.g. eu-west-1; empty: the AWS SDK's region chain (AWS_REGION)"),
      SettingDefinition.forEveryMode(CLUSTER, "default", "ECS cluster name or ARN"),
      SettingDefinition.forStart(TASK_DEFINITION, null,
          "ECS task definition (family, family:revision or ARN); empty: the name input (derived, not an ECS setting)"),
      SettingDefinition.forStart(CONTAINER_NAME, null,
          "the runner's container in the task definition; empty: its only container, or the one named like the family"),
      SettingDefinition.forStart(LAUNCH_TYPE, "FARGATE",
          "FARGATE or EC2; leave empty when capacity-providers is set"),
      SettingDefinition.forStart(CAPACITY_PROVIDERS, null,
          "capacity providers in fallback order, e.g. FARGATE_SPOT,FARGATE (instead of launch-type)"),
      SettingDefinition.forStart(SUBNETS, null, "subnet ids for awsvpc networking (required on Fargate unless subnets-tag)"),
      SettingDefinition.forStart(SUBNETS_TAG, null, "subnets by tag, KEY:VALUE such as Name:private (instead of subnets)"),
      SettingDefinition.forStart(SECURITY_GROUPS, null, "security group ids; empty: the VPC's default group"),
      SettingDefinition.forStart(SECURITY_GROUPS_TAG, null, "security groups by tag, KEY:VALUE (instead of security-groups)"),
      SettingDefinition.forStart(ASSIGN_PUBLIC_IP, "false", "give the tasks a public IP (true or false)"),
      SettingDefinition.forStart(PLATFORM_VERSION, null,
          "Fargate platform version, e.g. 1.4.0; empty: ECS's default (LATEST)"),
      SettingDefinition.forStart(CPU_SETTING, null,
          "task cpu override in CPU units (e.g. 1024) or vCPU (1 vCPU); empty: the task definition's"),
      SettingDefinition.forStart(MEMORY_SETTING, null,
          "task memory override in MiB (e.g. 2048) or GB (2 GB); empty: the task definition's"),
      SettingDefinition.forStart(SEAL_PUBLIC_KEY, null,
          "PEM RSA public key (2048 bits or more) to seal each JIT config or token to, so ecs:DescribeTasks shows"
              + " only ciphertext; the task definition injects the private key as ONESHOT_SEAL_PRIVATE_KEY from"
              + " Secrets Manager (docs/sealed-jit.md); required for registration: token"),
      SettingDefinition.forEveryMode(ENDPOINT, null, "ECS and EC2 endpoint override (local fakes, LocalStack)")
          .libraryOnly());

  private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
  private static final Pattern TASK_DEFINITION_PATTERN = Pattern.compile(
      "[A-Za-z0-9_-]{1,255}(:\\d+)?|arn:aws[a-z-]*:ecs:[^:]+:\\d{12}:task-definition/[A-Za-z0-9_-]{1,255}:\\d+");
  private static final Pattern CAPACITY_PROVIDER = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final Pattern CPU = Pattern.compile("\\d{2,6}|[0-9.]+ ?vCPU");
  private static final Pattern MEMORY = Pattern.compile("\\d{2,7}|[0-9.]+ ?GB");

  public EcsSettings {
    capacityProviders = List.copyOf(capacityProviders);
    subnets = List.copyOf(subnets);
    securityGroups = List.copyOf(securityGroups);
  }

  /** Whether tasks run with awsvpc networking (always on Fargate; on EC2 when subnets are given). */
  public boolean usesAwsvpc() {
    return !subnets.isEmpty() || subnetsTag.isPresent();
  }

  /** The region, cluster and endpoint: what a launcher for stop, sweep and status needs. */
  public EcsScope scope() {
    return new EcsScope(region, cluster, endpoint);
  }

  /**
   * Whether {@code task-definition} came from its default, the {@code name} input (then messages about it
   * say so).
   */
  public static boolean taskDefinitionIsDefaulted(BackendSettings settings) {
    return settings.get(TASK_DEFINITION).isEmpty();
  }

  /** How messages name the task definition: {@code 'x'}, or {@code 'x' (from name, its default)}. */
  static String quotedTaskDefinition(String taskDefinition, boolean defaulted) {
    return "'" + taskDefinition + "'" + (defaulted ? " (from name, its default)" : "");
  }

  /**
   * Reads and checks every setting a launch needs; {@code task-definition} defaults to {@code name} (the
   * action passes its {@code name} input along).
   *
   * @throws InvalidSettingsException listing every problem, each tied to its input and naming the accepted form
   */
  public static EcsSettings parse(BackendSettings settings) {
    SettingProblems problems = new SettingProblems();
    EcsScope scope = EcsScope.read(settings, problems);
    boolean defaulted = taskDefinitionIsDefaulted(settings);
    String taskDefinition = settings.get(TASK_DEFINITION).or(() -> settings.get(NAME)).orElse(null);
    if (taskDefinition == null) {
      problems.add(TASK_DEFINITION, "task-definition is not set and neither is name, its default; use FAMILY,"
          + " FAMILY:REVISION or its ARN");
    } else if (!TASK_DEFINITION_PATTERN.matcher(taskDefinition).matches()) {
      problems.add(TASK_DEFINITION, "task-definition " + quotedTaskDefinition(taskDefinition, defaulted)
          + " is not a task definition; use FAMILY, FAMILY:REVISION or its ARN");
    }
    Optional<String> launchType = settings.get(LAUNCH_TYPE).map(t -> t.toUpperCase(Locale.ROOT));
    List<String> providers = settings.list(CAPACITY_PROVIDERS);
    if (launchType.isPresent() && !providers.isEmpty()) {
      problems.add(LAUNCH_TYPE, "launch-type and capacity-providers exclude each other (ECS takes one or the other);"
          + " drop launch-type to use capacity-providers such as FARGATE_SPOT,FARGATE");
    }
    launchType.filter(t -> !t.equals("FARGATE") && !t.equals("EC2")).ifPresent(t ->
        problems.add(LAUNCH_TYPE, "launch-type '" + t + "' is not supported; use FARGATE or EC2"));
    providers.stream().filter(p -> !CAPACITY_PROVIDER.matcher(p).matches()).forEach(p ->
        problems.add(CAPACITY_PROVIDERS, "capacity-providers: '" + p + "' is not a capacity provider name; use names"
            + " such as FARGATE_SPOT,FARGATE"));
    if (providers.size() > 20) {
      problems.add(CAPACITY_PROVIDERS, "capacity-providers lists " + providers.size() + " providers; ECS takes at most 20");
    }
    List<String> subnets = settings.list(SUBNETS);
    subnets.stream().filter(s -> !SUBNET.matcher(s).matches()).forEach(s ->
        problems.add(SUBNETS, "subnets: '" + s + "' is not a subnet id; use ids such as subnet-0abc12345def67890"));
    Optional<TagFilter> subnetsTag = tag(settings, SUBNETS_TAG, problems);
    List<String> securityGroups = settings.list(SECURITY_GROUPS);
    securityGroups.stream().filter(g -> !SECURITY_GROUP.matcher(g).matches()).forEach(g ->
        problems.add(SECURITY_GROUPS, "security-groups: '" + g + "' is not a security group id; use ids such as"
            + " sg-0abc12345def67890"));
    Optional<TagFilter> securityGroupsTag = tag(settings, SECURITY_GROUPS_TAG, problems);
    if (!subnets.isEmpty() && subnetsTag.isPresent()) {
      problems.add(SUBNETS, "subnets and subnets-tag exclude each other; give subnet ids or a key:value tag, not both");
    }
    if (!securityGroups.isEmpty() && securityGroupsTag.isPresent()) {
      problems.add(SECURITY_GROUPS, "security-groups and security-groups-tag exclude each other; give ids or a"
          + " key:value tag");
    }
    if (subnets.size() > 16) {
      problems.add(SUBNETS, "subnets lists " + subnets.size() + " subnets; ECS takes at most 16");
    }
    if (securityGroups.size() > 5) {
      problems.add(SECURITY_GROUPS, "security-groups lists " + securityGroups.size() + " groups; ECS takes at most 5");
    }
    boolean fargate = providers.isEmpty() ? !launchType.filter("EC2"::equals).isPresent()
        : providers.stream().anyMatch(p -> p.startsWith("FARGATE"));
    if (fargate && subnets.isEmpty() && subnetsTag.isEmpty()) {
      problems.add(SUBNETS, "subnets or subnets-tag is required on Fargate (tasks use awsvpc networking); give subnet"
          + " ids or a tag such as subnets-tag: Name:private");
    }
    String publicIp = settings.getOrDefault(ASSIGN_PUBLIC_IP, "false").toLowerCase(Locale.ROOT);
    if (!publicIp.equals("true") && !publicIp.equals("false")) {
      problems.add(ASSIGN_PUBLIC_IP, "assign-public-ip '" + publicIp + "' is not a boolean; use true or false");
    }
    Optional<String> cpu = settings.get(CPU_SETTING);
    cpu.filter(c -> !CPU.matcher(c).matches()).ifPresent(c -> problems.add(CPU_SETTING,
        "cpu '" + c + "' is not a CPU size; use CPU units such as 1024 or a size such as 1 vCPU"));
    Optional<String> memory = settings.get(MEMORY_SETTING);
    memory.filter(m -> !MEMORY.matcher(m).matches()).ifPresent(m -> problems.add(MEMORY_SETTING,
        "memory '" + m + "' is not a memory size; use MiB such as 2048 or a size such as 2 GB"));
    if (settings.get(PLATFORM_VERSION).isPresent() && launchType.filter("EC2"::equals).isPresent()) {
      problems.add(PLATFORM_VERSION, "platform-version applies to Fargate only (ECS refuses it with launch-type EC2);"
          + " drop it or use launch-type FARGATE");
    }
    Optional<CredentialSealer> sealer = sealer(settings, problems);
    problems.throwIfAny();
    return new EcsSettings(scope.region(), scope.cluster(), taskDefinition, settings.get(CONTAINER_NAME), launchType,
        providers, subnets, subnetsTag, securityGroups, securityGroupsTag, publicIp.equals("true"),
        settings.get(PLATFORM_VERSION), cpu, memory, scope.endpoint(), sealer);
  }

  /**
   * A typed builder for embedding code, checked by the same rules as {@link #parse} (the same problems, tied
   * to the same setting names) when {@link Builder#build()} runs. Does not block.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link EcsSettings} from typed values; unset values take the same defaults as the action's inputs
   * ({@code cluster} {@code default}, {@code launch-type} FARGATE, {@code assign-public-ip} false). Not
   * thread-safe; every setter returns this builder.
   */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder() {}

    private Builder put(String name, Object value) {
      if (value == null) {
        values.remove(name);
      } else {
        values.put(name, value.toString());
      }
      return this;
    }

    private Builder putList(String name, List<String> value) {
      return put(name, value == null ? null : String.join(",", value));
    }

    /** The AWS region, such as {@code eu-west-1}; unset: the SDK's region chain. */
    public Builder region(String region) {
      return put(REGION, region);
    }

    /** The cluster name or ARN; unset: {@code default}. */
    public Builder cluster(String cluster) {
      return put(CLUSTER, cluster);
    }

    /** The task definition: family, family:revision or ARN. Required. */
    public Builder taskDefinition(String taskDefinition) {
      return put(TASK_DEFINITION, taskDefinition);
    }

    /** The runner's container in the task definition; unset: resolved from the task definition. */
    public Builder containerName(String containerName) {
      return put(CONTAINER_NAME, containerName);
    }

    /** {@code FARGATE} or {@code EC2}; not together with {@link #capacityProviders}. */
    public Builder launchType(String launchType) {
      return put(LAUNCH_TYPE, launchType);
    }

    /** Capacity providers in fallback order, such as FARGATE_SPOT, FARGATE. */
    public Builder capacityProviders(List<String> capacityProviders) {
      return putList(CAPACITY_PROVIDERS, capacityProviders);
    }

    /** Subnet ids (awsvpc); not together with {@link #subnetsTag}. */
    public Builder subnets(List<String> subnets) {
      return putList(SUBNETS, subnets);
    }

    /** Subnets selected by tag (looked up with EC2 DescribeSubnets when the launcher is built). */
    public Builder subnetsTag(TagFilter tag) {
      return put(SUBNETS_TAG, tag);
    }

    /** Security group ids; not together with {@link #securityGroupsTag}. */
    public Builder securityGroups(List<String> securityGroups) {
      return putList(SECURITY_GROUPS, securityGroups);
    }

    /** Security groups selected by tag (looked up with EC2 DescribeSecurityGroups when the launcher is built). */
    public Builder securityGroupsTag(TagFilter tag) {
      return put(SECURITY_GROUPS_TAG, tag);
    }

    /** Whether tasks get a public IP; default false. */
    public Builder assignPublicIp(boolean assignPublicIp) {
      return put(ASSIGN_PUBLIC_IP, assignPublicIp);
    }

    /** The Fargate platform version, such as {@code 1.4.0}. */
    public Builder platformVersion(String platformVersion) {
      return put(PLATFORM_VERSION, platformVersion);
    }

    /** Task-level cpu override: units such as {@code 1024} or {@code 1 vCPU}. */
    public Builder cpu(String cpu) {
      return put(CPU_SETTING, cpu);
    }

    /** Task-level memory override: MiB such as {@code 2048} or {@code 2 GB}. */
    public Builder memory(String memory) {
      return put(MEMORY_SETTING, memory);
    }

    /**
     * An endpoint override for the ECS and EC2 clients the launcher builder creates (LocalStack, fakes); it does
     * not apply to clients you pass in.
     */
    public Builder endpoint(URI endpoint) {
      return put(ENDPOINT, endpoint);
    }

    /**
     * Checks every value at once. Does not block; calls nothing.
     *
     * @throws InvalidSettingsException listing every problem, each tied to its setting name (as {@link #parse})
     */
    public EcsSettings build() {
      return parse(new BackendSettings(values, Clock.systemUTC()));
    }

    /**
     * Checks only region, cluster and endpoint, what a launcher for stop, sweep and status needs. Does not block.
     *
     * @throws InvalidSettingsException listing every problem, each tied to its setting name
     */
    public EcsScope buildScope() {
      SettingProblems problems = new SettingProblems();
      EcsScope scope = EcsScope.read(new BackendSettings(values, Clock.systemUTC()), problems);
      problems.throwIfAny();
      return scope;
    }
  }

  private static Optional<CredentialSealer> sealer(BackendSettings settings, SettingProblems problems) {
    Optional<String> pem = settings.get(SEAL_PUBLIC_KEY);
    if (pem.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CredentialSealer.fromPem(pem.get()));
    } catch (IllegalArgumentException e) {
      problems.add(SEAL_PUBLIC_KEY, "seal-public-key: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<TagFilter> tag(BackendSettings settings, String input, SettingProblems problems) {
    Optional<String> text = settings.get(input);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<TagFilter> tag = TagFilter.parse(text.get());
    if (tag.isEmpty()) {
      problems.add(input, input + " '" + text.get() + "' is not a tag selector; use KEY:VALUE, for example Name:private");
    }
    return tag;
  }

}
