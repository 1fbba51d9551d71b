package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.fakes.ecs.EcsFaults;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.RunnerBehaviour;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ECS RunTask on an already shape-valid request: the semantic checks ECS makes (cluster, task definition,
 * count, launch type versus capacity provider strategy, networking, tags, startedBy, the 8192-character
 * overrides limit, container names), client-token idempotency, capacity faults, then new tasks. Runs
 * under the state's monitor.
 */
public final class RunTaskOperation {
  /** AWS: "A total of 8192 characters are allowed for overrides", JSON formatting included. */
  static final int MAX_OVERRIDES_CHARACTERS = 8192;
  private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9/_-]{1,128}");

  private final EcsState state;

  public RunTaskOperation(EcsState state) {
    this.state = state;
  }

  public ObjectNode run(JsonNode request) {
    synchronized (state) {
      String cluster = state.resolveCluster(text(request, "cluster"));
      String clientToken = text(request, "clientToken");
      if (clientToken != null) {
        checkClientToken(clientToken);
        ObjectNode fingerprint = ((ObjectNode) request).deepCopy();
        fingerprint.remove("clientToken");
        var used = state.tokenUse(clientToken);
        if (used.isPresent()) {
          return replay(used.get(), fingerprint);
        }
      }
      TaskDefinitions.Registered definition = state.definitions.resolve(text(request, "taskDefinition"))
          .orElseThrow(() -> EcsError.client("ClientException", "Unable to describe task definition."));
      int count = request.path("count").asInt(1);
      if (count < 1 || count > 10) {
        throw EcsError.invalidParameter("count must be between 1 and 10.");
      }
      Placement placement = placement(request, cluster, definition.spec());
      if (text(request, "platformVersion") != null && placement.launchType().equals("EC2")) {
        // What ECS answers: a platform version exists only for Fargate.
        throw EcsError.invalidParameter("The platform version must be null when specifying an EC2 launch type.");
      }
      Networking networking = networking(request, definition.spec(), placement.launchType());
      Map<String, String> tags = tags(request);
      String startedBy = text(request, "startedBy");
      if (startedBy != null && !STARTED_BY.matcher(startedBy).matches()) {
        throw EcsError.invalidParameter("startedBy must be up to 128 letters (uppercase and lowercase), numbers,"
            + " hyphens, forward slashes and underscores.");
      }
      Map<String, Map<String, String>> overrideEnv = overrides(request, definition);
      String group = text(request, "group") != null ? text(request, "group") : "family:" + definition.family();

      if (state.faults.refuseCapacity(placement.capacityProviderName() != null ? placement.capacityProviderName()
          : placement.launchType())) {
        ObjectNode out = TaskJson.object();
        out.putArray("tasks");
        ArrayNode failures = out.putArray("failures");
        for (int i = 0; i < count; i++) {
          failures.addObject().put("reason", EcsFaults.CAPACITY_UNAVAILABLE);
        }
        return out;
      }

      String runnerContainer = runnerContainer(definition.spec(), overrideEnv);
      TaskRecord.Params params = new TaskRecord.Params(cluster, state.clusterArn(cluster), definition, tags, startedBy,
          group, placement.launchType(), placement.capacityProviderName(), request.get("overrides"), overrideEnv,
          runnerContainer, clientToken, networking.subnets(), networking.securityGroups(), networking.assignPublicIp(),
          request.path("enableExecuteCommand").asBoolean(false));
      ObjectNode out = TaskJson.object();
      ArrayNode tasks = out.putArray("tasks");
      out.putArray("failures");
      List<String> arns = new ArrayList<>();
      Instant now = state.clock.instant();
      for (int i = 0; i < count; i++) {
        TaskRecord task = newTask(params, networking, now);
        state.addTask(task);
        arns.add(task.arn());
        tasks.add(TaskJson.task(task, task.observe(now), false));
      }
      if (clientToken != null) {
        ObjectNode fingerprint = ((ObjectNode) request).deepCopy();
        fingerprint.remove("clientToken");
        state.rememberToken(clientToken, new EcsState.TokenUse(fingerprint, List.copyOf(arns)));
      }
      return out;
    }
  }

  private ObjectNode replay(EcsState.TokenUse used, ObjectNode fingerprint) {
    if (!used.request().equals(fingerprint)) {
      ObjectNode extra = TaskJson.object();
      ArrayNode ids = extra.putArray("resourceIds");
      used.taskArns().forEach(ids::add);
      throw new EcsError("ConflictException", 400,
          "The clientToken was already used with different request parameters.", extra);
    }
    ObjectNode out = TaskJson.object();
    ArrayNode tasks = out.putArray("tasks");
    out.putArray("failures");
    Instant now = state.clock.instant();
    for (String arn : used.taskArns()) {
      state.taskByArn(arn).ifPresent(task -> tasks.add(TaskJson.task(task, task.observe(now), false)));
    }
    return out;
  }

  private static void checkClientToken(String token) {
    if (token.isEmpty() || token.length() > 64 || token.chars().anyMatch(c -> c < 33 || c > 126)) {
      throw EcsError.invalidParameter("clientToken must be 1 to 64 printable ASCII characters (33-126).");
    }
  }

  private record Placement(String launchType, String capacityProviderName) {}

  private Placement placement(JsonNode request, String cluster, TaskDefinitionSpec spec) {
    String launchType = text(request, "launchType");
    JsonNode strategy = request.get("capacityProviderStrategy");
    boolean hasStrategy = strategy != null && strategy.isArray() && !strategy.isEmpty();
    if (launchType != null && hasStrategy) {
      throw EcsError.invalidParameter("Specify either Launch Type or Capacity Provider Strategy, but not both.");
    }
    String provider = null;
    if (hasStrategy) {
      if (strategy.size() > 20) {
        throw EcsError.invalidParameter("capacityProviderStrategy can have at most 20 items.");
      }
      for (JsonNode item : strategy) {
        if (!state.hasCapacityProvider(cluster, item.path("capacityProvider").asText())) {
          throw EcsError.invalidParameter("The specified capacity provider strategy cannot contain a capacity provider"
              + " that is not associated with the cluster. Associate the capacity provider with the cluster or specify"
              + " a valid capacity provider and try again.");
        }
      }
      provider = strategy.get(0).path("capacityProvider").asText();
      launchType = provider.equals("FARGATE") || provider.equals("FARGATE_SPOT") ? "FARGATE" : "EC2";
    } else if (launchType == null) {
      launchType = "EC2"; // the fake's clusters have no default capacity provider strategy
    }
    if (launchType.equals("FARGATE") && !spec.requiresCompatibilities().contains("FARGATE")) {
      throw EcsError.invalidParameter("Task definition does not support launch_type FARGATE.");
    }
    return new Placement(launchType, provider);
  }

  private record Networking(List<String> subnets, List<String> securityGroups, String assignPublicIp,
      Network.Subnet first) {}

  private Networking networking(JsonNode request, TaskDefinitionSpec spec, String launchType) {
    JsonNode vpc = request.path("networkConfiguration").path("awsvpcConfiguration");
    boolean awsvpc = spec.networkMode().equals("awsvpc");
    if (!awsvpc) {
      if (request.has("networkConfiguration")) {
        throw EcsError.invalidParameter(
            "Network Configuration is not valid for the given networkMode of this task definition.");
      }
      return new Networking(List.of(), List.of(), null, null);
    }
    if (vpc.isMissingNode() || vpc.isNull()) {
      throw EcsError.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    List<String> subnets = strings(vpc.get("subnets"));
    List<String> groups = strings(vpc.get("securityGroups"));
    if (subnets.isEmpty()) {
      throw EcsError.invalidParameter("subnets can not be empty.");
    }
    if (subnets.size() > 16) {
      throw EcsError.invalidParameter("subnets can have at most 16 items.");
    }
    if (groups.size() > 5) {
      throw EcsError.invalidParameter("securityGroups can have at most 5 items.");
    }
    List<Network.Subnet> found = new ArrayList<>();
    for (String id : subnets) {
      found.add(state.network.subnet(id).orElseThrow(() -> EcsError.invalidParameter("Error retrieving subnet information"
          + " for [" + id + "]: The subnet ID '" + id + "' does not exist (ErrorCode: InvalidSubnetID.NotFound)")));
    }
    if (found.stream().map(Network.Subnet::vpcId).distinct().count() > 1) {
      throw EcsError.invalidParameter("Subnets must all belong to the same VPC.");
    }
    for (String id : groups) {
      state.network.securityGroup(id).orElseThrow(() -> EcsError.invalidParameter("Error retrieving security group"
          + " information for [" + id + "]: The security group '" + id + "' does not exist"
          + " (ErrorCode: InvalidGroup.NotFound)"));
    }
    String assignPublicIp = vpc.hasNonNull("assignPublicIp") ? vpc.get("assignPublicIp").asText() : null;
    if ("ENABLED".equals(assignPublicIp) && !launchType.equals("FARGATE")) {
      throw EcsError.invalidParameter("Assign public IP is not supported for this launch type.");
    }
    return new Networking(subnets, groups, assignPublicIp, found.get(0));
  }

  private static Map<String, String> tags(JsonNode request) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag : iterable(request.get("tags"))) {
      String key = tag.path("key").asText("");
      if (key.isEmpty()) {
        throw EcsError.invalidParameter("Tag keys can not be blank.");
      }
      if (key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
        throw EcsError.invalidParameter("Tag keys must not start with the reserved prefix aws:.");
      }
      tags.put(key, tag.path("value").asText(""));
    }
    return tags;
  }

  private static Map<String, Map<String, String>> overrides(JsonNode request, TaskDefinitions.Registered definition) {
    JsonNode overrides = request.get("overrides");
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    if (overrides == null || overrides.isNull()) {
      return env;
    }
    if (overrides.toString().length() > MAX_OVERRIDES_CHARACTERS) {
      throw EcsError.invalidParameter("Container Overrides length must be at most " + MAX_OVERRIDES_CHARACTERS);
    }
    for (JsonNode override : iterable(overrides.get("containerOverrides"))) {
      String name = override.hasNonNull("name") ? override.get("name").asText() : null;
      if (name == null || name.isEmpty()) {
        throw EcsError.invalidParameter("Container Overrides name can not be blank.");
      }
      if (definition.container(name).isEmpty()) {
        throw EcsError.invalidParameter("Override for container named " + name + " is not a container in the"
            + " TaskDefinition.");
      }
      Map<String, String> vars = env.computeIfAbsent(name, k -> new LinkedHashMap<>());
      for (JsonNode pair : iterable(override.get("environment"))) {
        if (pair.hasNonNull("name")) {
          vars.put(pair.get("name").asText(), pair.path("value").asText(""));
        }
      }
    }
    return env;
  }

  /** The container that runs the runner: the first whose environment configures one, else the first essential one. */
  private static String runnerContainer(TaskDefinitionSpec spec, Map<String, Map<String, String>> overrideEnv) {
    for (TaskDefinitionSpec.ContainerSpec c : spec.containers()) {
      Map<String, String> merged = merged(c, overrideEnv);
      if (merged.containsKey(RunnerEnvironment.JIT_CONFIG) || merged.containsKey(RunnerEnvironment.RUNNER_TOKEN)) {
        return c.name();
      }
    }
    return spec.containers().stream().filter(TaskDefinitionSpec.ContainerSpec::essential).findFirst()
        .orElse(spec.containers().get(0)).name();
  }

  private static Map<String, String> merged(TaskDefinitionSpec.ContainerSpec container,
      Map<String, Map<String, String>> overrideEnv) {
    Map<String, String> merged = new LinkedHashMap<>(container.environment());
    merged.putAll(overrideEnv.getOrDefault(container.name(), Map.of()));
    return merged;
  }

  private TaskRecord newTask(TaskRecord.Params params, Networking networking, Instant now) {
    String id = state.ids.hex(32);
    String arn = state.taskArn(params.cluster(), id);
    TaskRecord.Eni eni = null;
    if (networking.first() != null) {
      Network.Subnet subnet = networking.first();
      String ip = "10.0." + subnet.index() + "." + state.ids.between(4, 254);
      String dns = "ip-" + ip.replace('.', '-') + (state.region.equals("us-east-1") ? ".ec2.internal"
          : "." + state.region + ".compute.internal");
      eni = new TaskRecord.Eni(state.ids.uuid(), "eni-" + state.ids.hex(17), state.ids.mac(), ip, dns,
          subnet.subnetId(), subnet.availabilityZone());
    }
    Map<String, String> containerArns = new LinkedHashMap<>();
    for (TaskDefinitionSpec.ContainerSpec c : params.definition().spec().containers()) {
      containerArns.put(c.name(), "arn:aws:ecs:" + state.region + ":" + state.accountId + ":container/"
          + params.cluster() + "/" + id + "/" + state.ids.uuid());
    }
    FaultQueues.TaskFate fate = state.faults.nextFate();
    Instant activatingAt = now.plus(state.timings.provisioning()).plus(state.timings.pending());
    Instant runningAt = now.plus(state.timings.untilRunning());
    TaskDefinitionSpec.ContainerSpec runner = params.definition().container(params.runnerContainer()).orElseThrow();
    TaskRecord.PlannedStop plannedStop = null;
    RunnerBehaviour behaviour = RunnerBehaviour.NORMAL;
    if (fate instanceof FaultQueues.ImagePullFailure) {
      plannedStop = new TaskRecord.PlannedStop(runningAt, "TaskFailedToStart", "CannotPullContainerError: pull image"
          + " manifest has been retried 5 time(s): failed to resolve reference \"" + runner.image() + "\": not found");
    } else if (fate instanceof FaultQueues.StopWhilePending stop) {
      plannedStop = new TaskRecord.PlannedStop(activatingAt, stop.stopCode(), stop.reason());
    } else if (fate instanceof FaultQueues.NeverOnline) {
      behaviour = RunnerBehaviour.NEVER_ONLINE;
    } else if (fate instanceof FaultQueues.CrashOnBoot crash) {
      behaviour = RunnerBehaviour.crashOnBoot(crash.exitCode());
    }
    SimulatedContainer container = null;
    if (plannedStop == null && state.github != null) {
      container = new SimulatedContainer(state.github, merged(runner, params.overrideEnvironment()), runningAt,
          state.timings.bootDelay(), behaviour);
    }
    return new TaskRecord(arn, params, eni, containerArns, now, state.timings, plannedStop, container);
  }

  static String text(JsonNode request, String member) {
    JsonNode value = request.get(member);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : iterable(array)) {
      out.add(item.asText());
    }
    return out;
  }

  private static Iterable<JsonNode> iterable(JsonNode array) {
    return array == null || !array.isArray() ? List.of() : array;
  }
}
