package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Renders tasks and task definitions in ECS's JSON shapes ({@code Task}, {@code TaskDefinition}). Stateless. */
public final class TaskJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TaskJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Epoch seconds, with a fraction when there is one (ECS's timestamp form). */
  public static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9))
        .stripTrailingZeros();
  }

  /** One {@code Task} as observed. */
  public static ObjectNode task(TaskRecord task, TaskRecord.View view, boolean includeTags) {
    TaskRecord.Params p = task.params();
    ObjectNode out = object();
    out.put("taskArn", task.arn());
    out.put("clusterArn", p.clusterArn());
    out.put("taskDefinitionArn", p.definition().arn());
    out.put("lastStatus", view.lastStatus());
    out.put("desiredStatus", view.desiredStatus());
    out.put("version", view.version());
    out.put("createdAt", epochSeconds(task.createdAt()));
    putTime(out, "connectivityAt", view.connectivityAt());
    if (view.connectivityAt() != null) {
      out.put("connectivity", "CONNECTED");
    }
    putTime(out, "pullStartedAt", view.pullStartedAt());
    putTime(out, "pullStoppedAt", view.pullStoppedAt());
    putTime(out, "startedAt", view.startedAt());
    putTime(out, "stoppingAt", view.stoppingAt());
    putTime(out, "executionStoppedAt", view.executionStoppedAt());
    putTime(out, "stoppedAt", view.stoppedAt());
    if (view.stopCode() != null) {
      out.put("stopCode", view.stopCode());
    }
    if (view.stoppedReason() != null) {
      out.put("stoppedReason", view.stoppedReason());
    }
    if (p.launchType() != null) {
      out.put("launchType", p.launchType());
    }
    if (p.capacityProviderName() != null) {
      out.put("capacityProviderName", p.capacityProviderName());
    }
    if ("FARGATE".equals(p.launchType())) {
      out.put("platformVersion", "1.4.0");
      out.put("platformFamily", "Linux");
      out.putObject("ephemeralStorage").put("sizeInGiB", 20);
    }
    TaskDefinitionSpec spec = p.definition().spec();
    if (spec.cpu() != null) {
      out.put("cpu", spec.cpu());
    }
    if (spec.memory() != null) {
      out.put("memory", spec.memory());
    }
    out.put("group", p.group());
    if (p.startedBy() != null) {
      out.put("startedBy", p.startedBy());
    }
    out.put("enableExecuteCommand", p.enableExecuteCommand());
    out.put("healthStatus", "UNKNOWN");
    if (task.eni() != null) {
      out.put("availabilityZone", task.eni().availabilityZone());
    }
    out.set("overrides", overrides(p));
    out.set("attachments", attachments(task, view));
    out.set("containers", containers(task, view));
    if (includeTags) {
      out.set("tags", tags(p.tags()));
    }
    return out;
  }

  private static ObjectNode overrides(TaskRecord.Params p) {
    ObjectNode overrides = p.overrides() != null && p.overrides().isObject() ? ((ObjectNode) p.overrides()).deepCopy()
        : object();
    if (!overrides.has("containerOverrides")) {
      overrides.putArray("containerOverrides");
    }
    if (!overrides.has("inferenceAcceleratorOverrides")) {
      overrides.putArray("inferenceAcceleratorOverrides");
    }
    return overrides;
  }

  private static ArrayNode attachments(TaskRecord task, TaskRecord.View view) {
    ArrayNode attachments = MAPPER.createArrayNode();
    TaskRecord.Eni eni = task.eni();
    if (eni == null) {
      return attachments;
    }
    ObjectNode attachment = attachments.addObject();
    attachment.put("id", eni.attachmentId());
    attachment.put("type", "ElasticNetworkInterface");
    attachment.put("status", view.eniStatus());
    ArrayNode details = attachment.putArray("details");
    detail(details, "subnetId", eni.subnetId());
    detail(details, "networkInterfaceId", eni.eniId());
    detail(details, "macAddress", eni.mac());
    detail(details, "privateDnsName", eni.privateDnsName());
    detail(details, "privateIPv4Address", eni.privateIp());
    return attachments;
  }

  private static void detail(ArrayNode details, String name, String value) {
    details.addObject().put("name", name).put("value", value);
  }

  private static ArrayNode containers(TaskRecord task, TaskRecord.View view) {
    ArrayNode containers = MAPPER.createArrayNode();
    TaskRecord.Params p = task.params();
    for (TaskDefinitionSpec.ContainerSpec spec : p.definition().spec().containers()) {
      boolean runner = spec.name().equals(p.runnerContainer());
      ObjectNode c = containers.addObject();
      c.put("containerArn", task.containerArn(spec.name()));
      c.put("taskArn", task.arn());
      c.put("name", spec.name());
      c.put("image", spec.image());
      c.put("lastStatus", runner ? view.runnerContainerStatus() : view.otherContainerStatus());
      (runner ? view.runnerExitCode() : view.otherExitCode()).ifPresent(code -> c.put("exitCode", code));
      c.put("healthStatus", "UNKNOWN");
      c.put("cpu", "0");
      ArrayNode interfaces = c.putArray("networkInterfaces");
      if (task.eni() != null) {
        interfaces.addObject().put("attachmentId", task.eni().attachmentId())
            .put("privateIpv4Address", task.eni().privateIp());
      }
    }
    return containers;
  }

  /** ECS's {@code [{"key":..,"value":..}]}. */
  public static ArrayNode tags(Map<String, String> tags) {
    ArrayNode out = MAPPER.createArrayNode();
    tags.forEach((k, v) -> out.addObject().put("key", k).put("value", v));
    return out;
  }

  /** One {@code TaskDefinition}. */
  public static ObjectNode taskDefinition(TaskDefinitions.Registered definition, String accountId) {
    TaskDefinitionSpec spec = definition.spec();
    ObjectNode out = object();
    out.put("taskDefinitionArn", definition.arn());
    out.put("family", spec.family());
    out.put("revision", definition.revision());
    out.put("status", "ACTIVE");
    out.put("networkMode", spec.networkMode());
    ArrayNode containers = out.putArray("containerDefinitions");
    for (TaskDefinitionSpec.ContainerSpec c : spec.containers()) {
      ObjectNode container = containers.addObject();
      container.put("name", c.name());
      container.put("image", c.image());
      container.put("cpu", 0);
      container.put("essential", c.essential());
      ArrayNode env = container.putArray("environment");
      c.environment().forEach((k, v) -> env.addObject().put("name", k).put("value", v));
      container.putArray("portMappings");
      container.putArray("mountPoints");
      container.putArray("volumesFrom");
    }
    out.putArray("volumes");
    out.putArray("placementConstraints");
    ArrayNode compatibilities = out.putArray("compatibilities");
    compatibilities.add("EC2");
    if (spec.requiresCompatibilities().contains("FARGATE")) {
      compatibilities.add("FARGATE");
    }
    ArrayNode requires = out.putArray("requiresCompatibilities");
    spec.requiresCompatibilities().forEach(requires::add);
    if (spec.cpu() != null) {
      out.put("cpu", spec.cpu());
    }
    if (spec.memory() != null) {
      out.put("memory", spec.memory());
    }
    out.put("registeredAt", epochSeconds(definition.registeredAt()));
    out.put("registeredBy", "arn:aws:iam::" + accountId + ":root");
    return out;
  }

  private static void putTime(ObjectNode out, String name, Instant at) {
    if (at != null) {
      out.put(name, epochSeconds(at));
    }
  }
}
