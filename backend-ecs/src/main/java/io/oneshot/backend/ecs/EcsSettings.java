package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ECS backend's settings, parsed and checked all at once from the action's inputs (the names
 * below are the input names). Values only; nothing here calls AWS.
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
    Optional<URI> endpoint) {

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[^:]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}");
  private static final Pattern TASK_DEFINITION = Pattern.compile(
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

  /**
   * Reads and checks every setting.
   *
   * @param defaultTaskDefinition the task definition when {@code task-definition} is unset (the action
   *     passes its {@code name} input)
   * @throws InvalidSettingsException listing every problem, each naming the input and the accepted form
   */
  public static EcsSettings parse(BackendSettings settings, String defaultTaskDefinition) {
    List<String> problems = new ArrayList<>();
    Optional<String> region = settings.get("region");
    region.filter(r -> !REGION.matcher(r).matches()).ifPresent(r ->
        problems.add("region '" + r + "' is not an AWS region; use a code such as us-east-1"));
    String cluster = settings.getOrDefault("cluster", "default");
    if (!CLUSTER.matcher(cluster).matches()) {
      problems.add("cluster '" + cluster + "' is not a cluster name or ARN; use letters, digits, '-' and '_'"
          + " (up to 255) or arn:aws:ecs:REGION:ACCOUNT:cluster/NAME");
    }
    String taskDefinition = settings.getOrDefault("task-definition", defaultTaskDefinition);
    if (taskDefinition == null || !TASK_DEFINITION.matcher(taskDefinition).matches()) {
      problems.add("task-definition '" + taskDefinition + "' is not a task definition; use FAMILY, FAMILY:REVISION"
          + " or its ARN");
    }
    Optional<String> launchType = settings.get("launch-type").map(t -> t.toUpperCase(Locale.ROOT));
    List<String> providers = list(settings.get("capacity-providers"));
    if (launchType.isPresent() && !providers.isEmpty()) {
      problems.add("launch-type and capacity-providers exclude each other (ECS takes one or the other);"
          + " drop launch-type to use capacity-providers such as FARGATE_SPOT,FARGATE");
    }
    launchType.filter(t -> !t.equals("FARGATE") && !t.equals("EC2")).ifPresent(t ->
        problems.add("launch-type '" + t + "' is not supported; use FARGATE or EC2"));
    providers.stream().filter(p -> !CAPACITY_PROVIDER.matcher(p).matches()).forEach(p ->
        problems.add("capacity-providers: '" + p + "' is not a capacity provider name; use names such as"
            + " FARGATE_SPOT,FARGATE"));
    if (providers.size() > 20) {
      problems.add("capacity-providers lists " + providers.size() + " providers; ECS takes at most 20");
    }
    List<String> subnets = list(settings.get("subnets"));
    subnets.stream().filter(s -> !SUBNET.matcher(s).matches()).forEach(s ->
        problems.add("subnets: '" + s + "' is not a subnet id; use ids such as subnet-0abc12345def67890"));
    Optional<TagFilter> subnetsTag = tag(settings, "subnets-tag", problems);
    List<String> securityGroups = list(settings.get("security-groups"));
    securityGroups.stream().filter(g -> !SECURITY_GROUP.matcher(g).matches()).forEach(g ->
        problems.add("security-groups: '" + g + "' is not a security group id; use ids such as sg-0abc12345def67890"));
    Optional<TagFilter> securityGroupsTag = tag(settings, "security-groups-tag", problems);
    if (!subnets.isEmpty() && subnetsTag.isPresent()) {
      problems.add("subnets and subnets-tag exclude each other; give subnet ids or a key:value tag, not both");
    }
    if (!securityGroups.isEmpty() && securityGroupsTag.isPresent()) {
      problems.add("security-groups and security-groups-tag exclude each other; give ids or a key:value tag");
    }
    if (subnets.size() > 16) {
      problems.add("subnets lists " + subnets.size() + " subnets; ECS takes at most 16");
    }
    if (securityGroups.size() > 5) {
      problems.add("security-groups lists " + securityGroups.size() + " groups; ECS takes at most 5");
    }
    boolean fargate = providers.isEmpty() ? !launchType.filter("EC2"::equals).isPresent()
        : providers.stream().anyMatch(p -> p.startsWith("FARGATE"));
    if (fargate && subnets.isEmpty() && subnetsTag.isEmpty()) {
      problems.add("subnets or subnets-tag is required on Fargate (tasks use awsvpc networking); give subnet ids"
          + " or a tag such as subnets-tag: Name:private");
    }
    String publicIp = settings.getOrDefault("assign-public-ip", "false").toLowerCase(Locale.ROOT);
    if (!publicIp.equals("true") && !publicIp.equals("false")) {
      problems.add("assign-public-ip '" + publicIp + "' is not a boolean; use true or false");
    }
    Optional<String> cpu = settings.get("cpu");
    cpu.filter(c -> !CPU.matcher(c).matches()).ifPresent(c ->
        problems.add("cpu '" + c + "' is not a CPU size; use CPU units such as 1024 or a size such as 1 vCPU"));
    Optional<String> memory = settings.get("memory");
    memory.filter(m -> !MEMORY.matcher(m).matches()).ifPresent(m ->
        problems.add("memory '" + m + "' is not a memory size; use MiB such as 2048 or a size such as 2 GB"));
    Optional<URI> endpoint = Optional.empty();
    if (settings.get("endpoint").isPresent()) {
      try {
        URI uri = URI.create(settings.get("endpoint").get());
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        endpoint = Optional.of(uri);
      } catch (IllegalArgumentException e) {
        problems.add("endpoint '" + settings.get("endpoint").get() + "' is not a URL; use http(s)://HOST:PORT");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return new EcsSettings(region, cluster, taskDefinition, settings.get("container-name"), launchType,
        providers, subnets, subnetsTag, securityGroups, securityGroupsTag, publicIp.equals("true"),
        settings.get("platform-version"), cpu, memory, endpoint);
  }

  private static Optional<TagFilter> tag(BackendSettings settings, String input, List<String> problems) {
    Optional<String> text = settings.get(input);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<TagFilter> tag = TagFilter.parse(text.get());
    if (tag.isEmpty()) {
      problems.add(input + " '" + text.get() + "' is not a tag selector; use KEY:VALUE, for example Name:private");
    }
    return tag;
  }

  private static List<String> list(Optional<String> text) {
    return text.map(t -> Arrays.stream(t.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }
}
