package io.oneshot.fakes.aci.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A container group PUT body, checked as ARM and ACI check it and reduced to what the fake needs. The
 * request itself is kept to echo back (without its secrets). Error codes and texts are ACI's where a
 * public source quotes them (see {@code contracts/SOURCE.md}); the rest are invented in ARM's style.
 *
 * @param request the body as received
 * @param environment every environment variable of the runner container, plain and secure, as the
 *     process sees it
 * @param secureNames the names of the variables sent as {@code secureValue}
 */
public record GroupSpec(ObjectNode request, String location, Map<String, String> tags, List<String> zones,
    String priority, String osType, String restartPolicy, String containerName, String image, double cpu,
    double memoryInGb, Map<String, String> environment, Set<String> secureNames, List<String> subnetIds,
    String ipAddressType, List<String> registryServers, List<String> identities) {

  /** ACI's rule for container group and container names (1–63, lower case, digits, single inner hyphens). */
  public static final Pattern NAME = Pattern.compile("(?=.{1,63}$)[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern SUBNET_ID = Pattern.compile(
      "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENTITY_ID = Pattern.compile(
      "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/]+",
      Pattern.CASE_INSENSITIVE);
  /** The largest group a standard Linux location offers (4 cores, 16 GB). */
  public static final double MAX_CPU = 4;
  public static final double MAX_MEMORY_GB = 16;

  /**
   * Parses and checks a PUT body for the group {@code name}.
   *
   * @throws ArmError with ARM's status and code for the first problem found
   */
  public static GroupSpec parse(String name, JsonNode body) {
    if (!NAME.matcher(name).matches()) {
      throw ArmError.badRequest("InvalidContainerGroupName", "The container group name '" + name + "' is invalid."
          + " A container group name must be 1 to 63 characters long, contain only lowercase letters, numbers and"
          + " hyphens, not start or end with a hyphen, and not contain consecutive hyphens.");
    }
    if (body == null || !body.isObject()) {
      throw ArmError.invalidContent("Unexpected character encountered while parsing value. Path ''");
    }
    ObjectNode request = (ObjectNode) body;
    String location = text(request, "location");
    if (location == null || location.isBlank()) {
      throw ArmError.badRequest("LocationRequired", "The location property is required for this definition.");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    request.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    if (tags.size() > 50) {
      throw ArmError.badRequest("InvalidTemplate", "The number of tags " + tags.size() + " exceeds the limit of 50.");
    }
    List<String> zones = strings(request.path("zones"));
    if (zones.size() > 1) {
      throw ArmError.badRequest("MultipleZonesNotSupported", "The container group '" + name + "' requests "
          + zones.size() + " zones; a container group can be deployed to one availability zone only.");
    }
    JsonNode properties = request.path("properties");
    if (!properties.isObject()) {
      throw ArmError.invalidContent("Required property 'properties' not found in JSON. Path ''");
    }
    JsonNode containers = properties.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      throw ArmError.invalidContent("Required property 'containers' not found in JSON. Path 'properties'");
    }
    String osType = text(properties, "osType");
    if (!"Linux".equals(osType) && !"Windows".equals(osType)) {
      throw ArmError.badRequest("InvalidOsType", "The 'osType' for container group '"
          + (osType == null ? "<null>" : osType) + "' is invalid. The value must be one of 'Windows,Linux'.");
    }
    String restartPolicy = enumValue(properties, "restartPolicy", "ContainerGroupRestartPolicy",
        List.of("Always", "OnFailure", "Never"), "Always");
    String priority = enumValue(properties, "priority", "ContainerGroupPriority", List.of("Regular", "Spot"), "Regular");
    Set<String> containerNames = new HashSet<>();
    double totalCpu = 0;
    double totalMemory = 0;
    String firstName = null;
    String firstImage = null;
    double firstCpu = 0;
    double firstMemory = 0;
    Map<String, String> environment = new LinkedHashMap<>();
    Set<String> secureNames = new LinkedHashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String path = "properties.containers[" + i + "]";
      String containerName = text(container, "name");
      if (containerName == null) {
        throw ArmError.invalidContent("Required property 'name' not found in JSON. Path '" + path + "'");
      }
      if (!NAME.matcher(containerName).matches()) {
        throw ArmError.badRequest("InvalidContainerName", "The container name '" + containerName + "' in container"
            + " group '" + name + "' is invalid. A container name must be 1 to 63 characters long, contain only"
            + " lowercase letters, numbers and hyphens, and not start or end with a hyphen.");
      }
      if (!containerNames.add(containerName)) {
        throw ArmError.badRequest("DuplicateContainerName", "The container name '" + containerName
            + "' is used more than once in container group '" + name + "'.");
      }
      JsonNode props = container.path("properties");
      if (!props.isObject()) {
        throw ArmError.invalidContent("Required property 'properties' not found in JSON. Path '" + path + "'");
      }
      String image = text(props, "image");
      if (image == null) {
        throw ArmError.invalidContent("Required property 'image' not found in JSON. Path '" + path + ".properties'");
      }
      if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
        throw ArmError.badRequest("InvalidImageName", "The image '" + image + "' of container '" + containerName
            + "' in container group '" + name + "' is not a valid image reference.");
      }
      JsonNode requests = props.path("resources").path("requests");
      if (!requests.isObject()) {
        throw ArmError.badRequest("ResourceRequestsNotSpecified", "The resource requests are not specified in"
            + " container '" + containerName + "' of contain group '" + name + "'. Both memory and CPU requests are"
            + " required since API version '2017-07-01-preview'.");
      }
      for (String field : List.of("cpu", "memoryInGB")) {
        if (!requests.path(field).isNumber()) {
          throw ArmError.badRequest("ResourceSomeRequestsNotSpecified", "The '" + (field.equals("cpu") ? "Cpu"
              : "MemoryInGB") + "' request is not specified in container '" + containerName + "' of contain group '"
              + name + "'. It is required since API version '2017-07-01-preview'.");
        }
      }
      double cpu = requests.path("cpu").asDouble();
      BigDecimal memory = requests.path("memoryInGB").decimalValue();
      if (cpu <= 0) {
        throw ArmError.badRequest("InvalidCpuRequirement", "The CPU requirement is '" + requests.path("cpu").asText()
            + "' in container '" + containerName + "' of container group '" + name + "'. The CPU requirement should"
            + " be greater than 0.");
      }
      if (memory.signum() <= 0 || memory.multiply(BigDecimal.TEN).stripTrailingZeros().scale() > 0) {
        throw ArmError.badRequest("InvalidMemoryRequirement", "The memory requirement is '" + memory.toPlainString()
            + "' in container '" + containerName + "' of container group '" + name + "'. The memory requirement"
            + " should be times of 0.1 GB.");
      }
      totalCpu += cpu;
      totalMemory += memory.doubleValue();
      JsonNode env = props.path("environmentVariables");
      for (int j = 0; j < env.size(); j++) {
        JsonNode variable = env.get(j);
        String variableName = text(variable, "name");
        if (variableName == null || variableName.isBlank()) {
          throw ArmError.invalidContent("Required property 'name' not found in JSON. Path '" + path
              + ".properties.environmentVariables[" + j + "]'");
        }
        if (i == 0) {
          if (variable.has("secureValue")) {
            secureNames.add(variableName);
            environment.put(variableName, variable.path("secureValue").asText());
          } else {
            environment.put(variableName, variable.path("value").asText(""));
          }
        }
      }
      if (i == 0) {
        firstName = containerName;
        firstImage = image;
        firstCpu = cpu;
        firstMemory = memory.doubleValue();
      }
    }
    if (totalCpu > MAX_CPU || totalMemory > MAX_MEMORY_GB) {
      throw new ArmError(409, "ServiceUnavailable", "The requested resource with '" + trim(totalCpu) + "' CPU and '"
          + trim(totalMemory) + "' GB memory is not available in the location '" + location + "' at this moment."
          + " Please retry with a different resource request or in another location.");
    }
    List<String> subnetIds = new ArrayList<>();
    JsonNode subnets = properties.path("subnetIds");
    for (int i = 0; i < subnets.size(); i++) {
      String id = text(subnets.get(i), "id");
      if (id == null || !SUBNET_ID.matcher(id).matches()) {
        throw ArmError.badRequest("LinkedInvalidPropertyId", "Property id '" + id + "' at path 'properties.subnetIds["
            + i + "].id' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}'"
            + " or '/providers/{resourceProviderNamespace}/'.");
      }
      subnetIds.add(id);
    }
    String ipAddressType = null;
    JsonNode ip = properties.path("ipAddress");
    if (ip.isObject()) {
      ipAddressType = enumValue(ip, "type", "ContainerGroupIpAddressType", List.of("Public", "Private"), null);
      if (ipAddressType == null) {
        throw ArmError.invalidContent("Required property 'type' not found in JSON. Path 'properties.ipAddress'");
      }
      if (!ip.path("ports").isArray() || ip.path("ports").isEmpty()) {
        throw ArmError.invalidContent("Required property 'ports' not found in JSON. Path 'properties.ipAddress'");
      }
      if (ipAddressType.equals("Private") && subnetIds.isEmpty()) {
        throw ArmError.badRequest("PrivateIPAddressNotSupported", "IP Address type in container group '" + name
            + "' is invalid. Private IP address is only supported when subnet ids are specified.");
      }
    }
    List<String> identities = new ArrayList<>();
    if (request.has("identity")) {
      // The swagger's ResourceIdentityType; user-assigned identities go with a type that names them. The error
      // code and wording are the fake's convention.
      String identityType = enumValue(request.path("identity"), "type", "ResourceIdentityType",
          List.of("SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned", "None"), null);
      boolean userAssigned = identityType != null && identityType.contains("UserAssigned");
      boolean listed = request.path("identity").path("userAssignedIdentities").size() > 0;
      if (userAssigned != listed) {
        throw ArmError.badRequest("InvalidIdentity", "The identity of container group '" + name + "' is invalid:"
            + " identity type '" + identityType + "' " + (listed ? "does not take" : "needs")
            + " userAssignedIdentities.");
      }
    }
    request.path("identity").path("userAssignedIdentities").fieldNames().forEachRemaining(id -> {
      if (!IDENTITY_ID.matcher(id).matches()) {
        throw ArmError.badRequest("LinkedInvalidPropertyId", "Property id '" + id + "' at path"
            + " 'identity.userAssignedIdentities' is invalid. Expect fully qualified resource Id that start with"
            + " '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.");
      }
      identities.add(id);
    });
    List<String> registryServers = new ArrayList<>();
    JsonNode credentials = properties.path("imageRegistryCredentials");
    for (int i = 0; i < credentials.size(); i++) {
      JsonNode credential = credentials.get(i);
      String server = text(credential, "server");
      if (server == null || server.isBlank()) {
        throw ArmError.invalidContent("Required property 'server' not found in JSON. Path"
            + " 'properties.imageRegistryCredentials[" + i + "]'");
      }
      String identity = text(credential, "identity");
      boolean password = credential.hasNonNull("username") && credential.hasNonNull("password");
      if (identity == null && !password) {
        throw ArmError.badRequest("InvalidImageRegistryCredential", "The image registry credential for server '"
            + server + "' in container group '" + name + "' needs a username and password, or an identity.");
      }
      if (identity != null && identities.stream().noneMatch(identity::equalsIgnoreCase)) {
        throw ArmError.badRequest("InvalidImageRegistryCredentialIdentity", "The identity '" + identity
            + "' of the image registry credential for server '" + server + "' is not assigned to container group '"
            + name + "'.");
      }
      registryServers.add(server);
    }
    return new GroupSpec(request.deepCopy(), location, tags, zones, priority, osType, restartPolicy, firstName,
        firstImage, firstCpu, firstMemory, environment, secureNames, subnetIds, ipAddressType, registryServers,
        identities);
  }

  private static String trim(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** An enum member: JSON.NET's conversion error for a value outside the set, the default when absent. */
  private static String enumValue(JsonNode node, String field, String type, List<String> allowed, String fallback) {
    String value = text(node, field);
    if (value == null) {
      return fallback;
    }
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate;
      }
    }
    throw ArmError.invalidContent("Error converting value \"" + value + "\" to type '" + type + "'. Path '" + field
        + "'");
  }
}
