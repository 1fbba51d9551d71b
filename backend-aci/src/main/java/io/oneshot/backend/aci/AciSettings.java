package io.oneshot.backend.aci;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ACI backend's settings, parsed and checked all at once from the action's inputs (the names below
 * are the input names). Values only; nothing here calls Azure. {@code toString()} hides the registry
 * password.
 *
 * @param subscriptionId {@code subscription-id}: the subscription's GUID
 * @param resourceGroup {@code resource-group}: where the container groups go
 * @param location {@code location}: the Azure region, normalised (lower case, no spaces), e.g. {@code eastus}
 * @param image {@code image}: the runner image
 * @param cpu {@code cpu}: cores per runner [2]
 * @param memoryInGb {@code memory}: GiB per runner [4], a multiple of 0.1
 * @param subnetIds {@code subnet-ids}: subnet resource ids for VNet injection; empty for none
 * @param registryServer {@code registry-server}: the private registry's login server
 * @param registryUsername {@code registry-username}
 * @param registryPassword {@code registry-password}: a secret
 * @param identity {@code identity}: a user-assigned managed identity resource id that pulls the image
 * @param spot {@code priority}: {@code Spot} (falling back to {@code Regular} on capacity errors) when true
 * @param zone {@code zones}: the availability zone, empty for none
 * @param endpoint {@code endpoint}: an https ARM endpoint override (the fake); empty for Azure itself
 */
public record AciSettings(
    String subscriptionId,
    String resourceGroup,
    String location,
    String image,
    BigDecimal cpu,
    BigDecimal memoryInGb,
    List<String> subnetIds,
    Optional<String> registryServer,
    Optional<String> registryUsername,
    Optional<String> registryPassword,
    Optional<String> identity,
    boolean spot,
    Optional<String> zone,
    Optional<URI> endpoint) {

  /** ACI's standard limits for one Linux container group. */
  static final BigDecimal MAX_CPU = BigDecimal.valueOf(4);
  static final BigDecimal MAX_MEMORY_GB = BigDecimal.valueOf(16);

  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
  private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9 ]{1,40}");
  private static final Pattern SUBNET_ID = Pattern.compile("/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
      + "Microsoft\\.Network/virtualNetworks/[^/]+/subnets/[^/]+", Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENTITY_ID = Pattern.compile("/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
      + "Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/]+", Pattern.CASE_INSENSITIVE);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\\d{1,5})?");

  public AciSettings {
    subnetIds = List.copyOf(subnetIds);
  }

  /** How many capacity options launches fall back through: Spot then Regular, or Regular alone. */
  public int capacityOptions() {
    return spot ? 2 : 1;
  }

  /**
   * Reads and checks every setting.
   *
   * @throws InvalidSettingsException listing every problem, each naming the input and the accepted form
   */
  public static AciSettings parse(BackendSettings settings) {
    List<String> problems = new ArrayList<>();
    String subscription = settings.get("subscription-id").orElse("");
    if (subscription.isEmpty()) {
      problems.add("subscription-id is required; use the subscription's GUID, such as"
          + " 00000000-0000-0000-0000-000000000000");
    } else if (!GUID.matcher(subscription).matches()) {
      problems.add("subscription-id '" + subscription + "' is not a subscription id; use its GUID, such as"
          + " 00000000-0000-0000-0000-000000000000");
    }
    String resourceGroup = settings.get("resource-group").orElse("");
    if (resourceGroup.isEmpty()) {
      problems.add("resource-group is required; use the name of the resource group the runners go to");
    } else if (!RESOURCE_GROUP.matcher(resourceGroup).matches()) {
      problems.add("resource-group '" + resourceGroup + "' is not a resource group name; use 1 to 90 letters, digits,"
          + " '-', '_', '.', '(' or ')', not ending with '.'");
    }
    String location = settings.get("location").orElse("");
    if (location.isEmpty()) {
      problems.add("location is required; use an Azure region such as eastus or westeurope");
    } else if (!LOCATION.matcher(location).matches()) {
      problems.add("location '" + location + "' is not an Azure region; use a name such as eastus or westeurope");
    }
    String image = settings.get("image").orElse("");
    if (image.isEmpty()) {
      problems.add("image is required; use the runner image, such as ghcr.io/OWNER/oneshot-runner:1");
    } else if (image.chars().anyMatch(Character::isWhitespace)) {
      problems.add("image '" + image + "' contains white space; use an image reference such as"
          + " myregistry.azurecr.io/runner:1");
    }
    BigDecimal cpu = number(settings, "cpu", "2", problems);
    if (cpu != null && (cpu.signum() <= 0 || cpu.compareTo(MAX_CPU) > 0 || cpu.scale() > 2)) {
      problems.add("cpu '" + cpu.toPlainString() + "' is out of range; use cores from 0.01 to 4 (ACI's limit for"
          + " one container group), such as 2");
    }
    BigDecimal memory = number(settings, "memory", "4", problems);
    if (memory != null && (memory.signum() <= 0 || memory.compareTo(MAX_MEMORY_GB) > 0
        || memory.multiply(BigDecimal.TEN).stripTrailingZeros().scale() > 0)) {
      problems.add("memory '" + memory.toPlainString() + "' is out of range; use GiB in steps of 0.1 from 0.1 to 16"
          + " (ACI's limit for one container group), such as 4");
    }
    List<String> subnetIds = list(settings.get("subnet-ids"));
    subnetIds.stream().filter(id -> !SUBNET_ID.matcher(id).matches()).forEach(id -> problems.add("subnet-ids: '" + id
        + "' is not a subnet resource id; use /subscriptions/SUB/resourceGroups/RG/providers/"
        + "Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET"));
    Optional<String> server = settings.get("registry-server");
    Optional<String> username = settings.get("registry-username");
    Optional<String> password = settings.get("registry-password");
    Optional<String> identity = settings.get("identity");
    server.filter(s -> !HOST.matcher(s).matches()).ifPresent(s -> problems.add("registry-server '" + s
        + "' is not a registry host; use a login server such as myregistry.azurecr.io"));
    if (username.isPresent() != password.isPresent()) {
      problems.add("registry-username and registry-password go together; give both, or use identity instead");
    }
    if (username.isPresent() && identity.isPresent()) {
      problems.add("registry-username/registry-password and identity exclude each other; pull with one of them");
    }
    if ((username.isPresent() || password.isPresent() || identity.isPresent()) && server.isEmpty()) {
      problems.add("registry-server is required with registry credentials or identity; use the registry's login"
          + " server, such as myregistry.azurecr.io");
    }
    if (server.isPresent() && username.isEmpty() && password.isEmpty() && identity.isEmpty()) {
      problems.add("registry-server needs registry-username and registry-password, or identity; public images need"
          + " no registry-server");
    }
    identity.filter(id -> !IDENTITY_ID.matcher(id).matches()).ifPresent(id -> problems.add("identity '" + id
        + "' is not a user-assigned identity resource id; use /subscriptions/SUB/resourceGroups/RG/providers/"
        + "Microsoft.ManagedIdentity/userAssignedIdentities/NAME"));
    String priority = settings.getOrDefault("priority", "Regular");
    boolean spot = priority.equalsIgnoreCase("Spot");
    if (!spot && !priority.equalsIgnoreCase("Regular")) {
      problems.add("priority '" + priority + "' is not supported; use Regular or Spot");
    }
    List<String> zones = list(settings.get("zones"));
    if (zones.size() > 1) {
      problems.add("zones lists " + zones.size() + " zones; an ACI container group goes to one zone: use 1, 2 or 3");
    }
    zones.stream().filter(z -> !z.matches("[1-3]")).forEach(z ->
        problems.add("zones: '" + z + "' is not an availability zone; use 1, 2 or 3"));
    Optional<URI> endpoint = Optional.empty();
    if (settings.get("endpoint").isPresent()) {
      String text = settings.get("endpoint").get();
      try {
        URI uri = URI.create(text);
        if (uri.getHost() == null || !"https".equalsIgnoreCase(uri.getScheme())) {
          problems.add("endpoint '" + text + "' is not an https URL; the Azure SDK sends bearer tokens only over"
              + " https: use https://HOST:PORT");
        } else {
          endpoint = Optional.of(uri);
        }
      } catch (IllegalArgumentException e) {
        problems.add("endpoint '" + text + "' is not a URL; use https://HOST:PORT");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return new AciSettings(subscription, resourceGroup, location.toLowerCase(Locale.ROOT).replace(" ", ""), image,
        cpu, memory, subnetIds, server, username, password, identity, spot, zones.stream().findFirst(), endpoint);
  }

  private static BigDecimal number(BackendSettings settings, String input, String fallback, List<String> problems) {
    String text = settings.getOrDefault(input, fallback);
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      problems.add(input + " '" + text + "' is not a number; use a decimal such as " + fallback);
      return null;
    }
  }

  private static List<String> list(Optional<String> text) {
    return text.map(t -> Arrays.stream(t.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  @Override
  public String toString() {
    return "AciSettings[subscriptionId=" + subscriptionId + ", resourceGroup=" + resourceGroup + ", location="
        + location + ", image=" + image + ", cpu=" + cpu + ", memoryInGb=" + memoryInGb + ", subnetIds=" + subnetIds
        + ", registryServer=" + registryServer + ", registryUsername=" + registryUsername + ", registryPassword="
        + registryPassword.map(p -> "***") + ", identity=" + identity + ", spot=" + spot + ", zone=" + zone
        + ", endpoint=" + endpoint + "]";
  }
}
