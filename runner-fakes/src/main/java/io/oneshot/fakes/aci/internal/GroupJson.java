package io.oneshot.fakes.aci.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Renders container groups as ACI answers them (shaped like the published examples in
 * {@code contracts/aci-examples/}): the request echoed with every {@code secureValue} and registry
 * password left out, plus {@code id}, {@code name}, {@code type}, {@code provisioningState} and the
 * instance views. Stateless.
 */
public final class GroupJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String TYPE = "Microsoft.ContainerInstance/containerGroups";

  private GroupJson() {}

  /** The group as GET (and the PUT answer) shows it; {@code withInstanceView} false for list answers. */
  public static ObjectNode render(GroupRecord group, GroupRecord.View view, boolean withInstanceView) {
    GroupSpec spec = group.spec();
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", group.id());
    out.put("name", group.name());
    out.put("type", TYPE);
    out.put("location", spec.location());
    if (!spec.tags().isEmpty()) {
      ObjectNode tags = out.putObject("tags");
      spec.tags().forEach(tags::put);
    }
    if (!spec.zones().isEmpty()) {
      ArrayNode zones = out.putArray("zones");
      spec.zones().forEach(zones::add);
    }
    if (spec.request().has("identity")) {
      out.set("identity", spec.request().get("identity").deepCopy());
    }
    ObjectNode properties = ((ObjectNode) spec.request().get("properties")).deepCopy();
    properties.put("provisioningState", view.provisioningState());
    if (!properties.has("restartPolicy")) {
      properties.put("restartPolicy", spec.restartPolicy());
    }
    ArrayNode containers = (ArrayNode) properties.get("containers");
    for (int i = 0; i < containers.size(); i++) {
      ObjectNode containerProperties = (ObjectNode) containers.get(i).get("properties");
      for (JsonNode variable : containerProperties.path("environmentVariables")) {
        ((ObjectNode) variable).remove("secureValue");
      }
      if (!containerProperties.has("environmentVariables")) {
        containerProperties.putArray("environmentVariables");
      }
      if (!containerProperties.has("ports")) {
        containerProperties.putArray("ports");
      }
      if (withInstanceView && i == 0 && view.containerState() != null) {
        containerProperties.set("instanceView", containerInstanceView(view));
      }
    }
    for (JsonNode credential : properties.path("imageRegistryCredentials")) {
      ((ObjectNode) credential).remove("password");
    }
    if (properties.path("ipAddress").isObject() && group.privateIp() != null
        && "Succeeded".equals(view.provisioningState())) {
      ((ObjectNode) properties.get("ipAddress")).put("ip", group.privateIp());
    }
    if (withInstanceView && view.groupState() != null) {
      ObjectNode instanceView = properties.putObject("instanceView");
      instanceView.set("events", events(view.groupEvents()));
      instanceView.put("state", view.groupState());
    }
    out.set("properties", properties);
    return out;
  }

  private static ObjectNode containerInstanceView(GroupRecord.View view) {
    ObjectNode instanceView = MAPPER.createObjectNode();
    instanceView.put("restartCount", 0);
    ObjectNode current = instanceView.putObject("currentState");
    current.put("state", view.containerState());
    if (view.startTime() != null) {
      current.put("startTime", timestamp(view.startTime()));
    }
    if (view.finishTime() != null) {
      current.put("finishTime", timestamp(view.finishTime()));
    }
    view.exitCode().ifPresent(code -> current.put("exitCode", code));
    current.put("detailStatus", view.detailStatus() == null ? "" : view.detailStatus());
    instanceView.set("events", events(view.containerEvents()));
    return instanceView;
  }

  private static ArrayNode events(List<GroupRecord.Event> events) {
    ArrayNode out = MAPPER.createArrayNode();
    for (GroupRecord.Event event : events) {
      ObjectNode node = out.addObject();
      node.put("count", 1);
      node.put("firstTimestamp", timestamp(event.at()));
      node.put("lastTimestamp", timestamp(event.at()));
      node.put("message", event.message());
      node.put("name", event.name());
      node.put("type", event.type());
    }
    return out;
  }

  public static String timestamp(Instant instant) {
    return instant.toString();
  }

  /** An ARM error body. */
  public static ObjectNode error(String code, String message) {
    ObjectNode out = MAPPER.createObjectNode();
    ObjectNode error = out.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return out;
  }
}
