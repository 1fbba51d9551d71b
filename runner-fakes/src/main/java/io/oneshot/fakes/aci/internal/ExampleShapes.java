package io.oneshot.fakes.aci.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The response shape of Microsoft's published ACI examples ({@code contracts/aci-examples/}): every
 * JSON path their response bodies use, arrays as {@code []}. The fake checks each container group it
 * sends against it, so it cannot drift into fields ARM does not answer with. Paths the examples do
 * not happen to show but the swagger defines (tags, identity, subnet ids, environment variable
 * values, registry identities) are allowed explicitly. Immutable; loaded once.
 */
public final class ExampleShapes {
  private static final List<String> EXAMPLES = List.of("ContainerGroupsCreateOrUpdate.json",
      "ContainerGroupsCreatePriority.json", "ContainerGroupsDelete.json", "ContainerGroupsGetPriority.json",
      "ContainerGroupsGet_Failed.json");
  private static final Set<String> ALSO_DEFINED = Set.of("tags", "tags.*", "identity", "identity.type",
      "identity.userAssignedIdentities", "identity.userAssignedIdentities.*", "properties.subnetIds",
      "properties.subnetIds[]", "properties.subnetIds[].id", "properties.imageRegistryCredentials[].identity",
      "properties.containers[].properties.environmentVariables[]",
      "properties.containers[].properties.environmentVariables[].name",
      "properties.containers[].properties.environmentVariables[].value", "properties.priority", "zones", "zones[]",
      "properties.imageRegistryCredentials[]", "properties.imageRegistryCredentials[].server",
      "properties.imageRegistryCredentials[].username", "properties.containers[].properties.instanceView.currentState.exitCode",
      "properties.containers[].properties.instanceView.currentState.finishTime");
  private static final ExampleShapes INSTANCE = load();

  private final Set<String> paths;

  private ExampleShapes(Set<String> paths) {
    this.paths = paths;
  }

  public static ExampleShapes get() {
    return INSTANCE;
  }

  /** The paths of {@code group} that neither the examples nor the allow-list know. */
  public List<String> unknownPaths(JsonNode group) {
    Set<String> found = new TreeSet<>();
    collect(group, "", found);
    List<String> unknown = new ArrayList<>();
    for (String path : found) {
      if (!paths.contains(path) && !ALSO_DEFINED.contains(path)) {
        unknown.add(path);
      }
    }
    return unknown;
  }

  private static ExampleShapes load() {
    Set<String> paths = new TreeSet<>();
    for (String name : EXAMPLES) {
      try (InputStream in = ExampleShapes.class.getResourceAsStream("/contracts/aci-examples/" + name)) {
        if (in == null) {
          throw new IllegalStateException("missing contract resource contracts/aci-examples/" + name);
        }
        JsonNode example = GroupJson.MAPPER.readTree(in);
        example.path("responses").forEach(response -> {
          if (response.has("body")) {
            collect(response.get("body"), "", paths);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ExampleShapes(Set.copyOf(paths));
  }

  private static void collect(JsonNode node, String path, Set<String> out) {
    if (!path.isEmpty()) {
      out.add(path);
    }
    if (node.isObject()) {
      boolean dynamicKeys = path.equals("tags") || path.equals("identity.userAssignedIdentities");
      node.properties().forEach(e -> collect(e.getValue(), dynamicKeys ? path + ".*"
          : path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else if (node.isArray()) {
      node.forEach(element -> collect(element, path + "[]", out));
    }
  }
}
