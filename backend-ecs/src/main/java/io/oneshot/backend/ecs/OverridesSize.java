package io.oneshot.backend.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * Measures the RunTask {@code overrides} as ECS counts them: the characters of their JSON form, which
 * ECS caps at 8,192. Stateless.
 */
final class OverridesSize {
  /** ECS's limit on the JSON of all overrides together. */
  static final int LIMIT = 8192;
  private static final ObjectMapper JSON = new ObjectMapper();

  private OverridesSize() {}

  /** The characters of {@code {"containerOverrides":[{"name":..,"environment":[..]}],"cpu":..,"memory":..}}. */
  static int of(String containerName, Map<String, String> environment, Optional<String> cpu, Optional<String> memory) {
    ObjectNode overrides = JSON.createObjectNode();
    ObjectNode container = overrides.putArray("containerOverrides").addObject();
    container.put("name", containerName);
    ArrayNode env = container.putArray("environment");
    environment.forEach((name, value) -> env.addObject().put("name", name).put("value", value));
    cpu.ifPresent(c -> overrides.put("cpu", c));
    memory.ifPresent(m -> overrides.put("memory", m));
    try {
      return JSON.writeValueAsString(overrides).length();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot measure the overrides", e);
    }
  }
}
