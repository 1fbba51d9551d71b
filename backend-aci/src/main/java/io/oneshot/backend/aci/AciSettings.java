package io.oneshot.backend.aci;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ACI backend's settings for launching, parsed and checked all at once from the action's inputs (the
 * names below are the input names; {@link #DEFINITIONS} declares them). Values only; nothing here calls Azure. {@code toString()} hides the registry
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

  static final String SUBSCRIPTION_ID = "subscription-id";
  static final String RESOURCE_GROUP = "resource-group";
  static final String LOCATION = "location";
  static final String IMAGE = "image";
  static final String CPU = "cpu";
  static final String MEMORY = "memory";
  static final String SUBNET_IDS = "subnet-ids";
  static final String REGISTRY_SERVER = "registry-server";
  static final String REGISTRY_USERNAME = "registry-username";
  static final String REGISTRY_PASSWORD = "registry-password";
  static final String IDENTITY = "identity";
  static final String PRIORITY = "priority";
  static final String ZONES = "zones";
  static final String ENDPOINT = "endpoint";

  /** Every setting the ACI backend reads, as {@link AciLauncherProvider#settings()} declares them. */
  static final List<SettingDefinition> DEFINITIONS = List.of(
      SettingDefinition.forEveryMode(SUBSCRIPTION_ID, null, "Azure subscription id (GUID)"),
      SettingDefinition.forEveryMode(RESOURCE_GROUP, null, "Azure resource group the runners' container groups go to"),
      SettingDefinition.forStart(LOCATION, null, "Azure region, e.g. westeurope"),
      SettingDefinition.forStart(IMAGE, null, "the runner image, e.g. ghcr.io/OWNER/oneshot-runner:1"),
      SettingDefinition.forStart(CPU, "2", "CPU cores per runner, up to 4"),
      SettingDefinition.forStart(MEMORY, "4", "memory per runner in GiB, in steps of 0.1, up to 16"),
      SettingDefinition.forStart(SUBNET_IDS, null, "subnet resource ids for VNet injection (private IP only)"),
      SettingDefinition.forStart(REGISTRY_SERVER, null,
          "private registry login server, e.g. myacr.azurecr.io (with identity or username and password)"),
      SettingDefinition.forStart(REGISTRY_USERNAME, null, "private registry user name (with registry-password)"),
      SettingDefinition.forStart(REGISTRY_PASSWORD, null, "private registry password (with registry-username)")
          .asSecret(),
      SettingDefinition.forStart(IDENTITY, null,
          "user-assigned managed identity resource id that pulls the image from registry-server"),
      SettingDefinition.forStart(PRIORITY, "Regular", "Regular or Spot (Spot falls back to Regular on capacity errors)"),
      SettingDefinition.forStart(ZONES, null, "availability zone for the runners: 1, 2 or 3"),
      SettingDefinition.forEveryMode(ENDPOINT, null, "https Azure Resource Manager endpoint override (local fakes)")
          .libraryOnly());

  private static final Pattern LOCATION_PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9 ]{1,40}");
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

  /** The subscription, resource group and endpoint: what a launcher for stop, sweep and status needs. */
  public AciScope scope() {
    return new AciScope(subscriptionId, resourceGroup, endpoint);
  }

  /**
   * Reads and checks every setting a launch needs.
   *
   * @throws InvalidSettingsException listing every problem, each tied to its input and naming the accepted form;
   *     never the registry password
   */
  public static AciSettings parse(BackendSettings settings) {
    SettingProblems problems = new SettingProblems();
    AciScope scope = AciScope.read(settings, problems);
    String location = settings.get(LOCATION).orElse("");
    if (location.isEmpty()) {
      problems.add(LOCATION, "location is required; use an Azure region such as eastus or westeurope");
    } else if (!LOCATION_PATTERN.matcher(location).matches()) {
      problems.add(LOCATION, "location '" + location + "' is not an Azure region; use a name such as eastus or"
          + " westeurope");
    }
    String image = settings.get(IMAGE).orElse("");
    if (image.isEmpty()) {
      problems.add(IMAGE, "image is required; use the runner image, such as ghcr.io/OWNER/oneshot-runner:1");
    } else if (image.chars().anyMatch(Character::isWhitespace)) {
      problems.add(IMAGE, "image '" + image + "' contains white space; use an image reference such as"
          + " myregistry.azurecr.io/runner:1");
    }
    BigDecimal cpu = number(settings, CPU, "2", problems);
    if (cpu != null && (cpu.signum() <= 0 || cpu.compareTo(MAX_CPU) > 0 || cpu.scale() > 2)) {
      problems.add(CPU, "cpu '" + cpu.toPlainString() + "' is out of range; use cores from 0.01 to 4 (ACI's limit for"
          + " one container group), such as 2");
    }
    BigDecimal memory = number(settings, MEMORY, "4", problems);
    if (memory != null && (memory.signum() <= 0 || memory.compareTo(MAX_MEMORY_GB) > 0
        || memory.multiply(BigDecimal.TEN).stripTrailingZeros().scale() > 0)) {
      problems.add(MEMORY, "memory '" + memory.toPlainString() + "' is out of range; use GiB in steps of 0.1 from 0.1"
          + " to 16 (ACI's limit for one container group), such as 4");
    }
    List<String> subnetIds = settings.list(SUBNET_IDS);
    subnetIds.stream().filter(id -> !SUBNET_ID.matcher(id).matches()).forEach(id -> problems.add(SUBNET_IDS,
        "subnet-ids: '" + id + "' is not a subnet resource id; use /subscriptions/SUB/resourceGroups/RG/providers/"
            + "Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET"));
    Optional<String> server = settings.get(REGISTRY_SERVER);
    Optional<String> username = settings.get(REGISTRY_USERNAME);
    Optional<String> password = settings.get(REGISTRY_PASSWORD);
    Optional<String> identity = settings.get(IDENTITY);
    server.filter(s -> !HOST.matcher(s).matches()).ifPresent(s -> problems.add(REGISTRY_SERVER, "registry-server '"
        + s + "' is not a registry host; use a login server such as myregistry.azurecr.io"));
    if (username.isPresent() != password.isPresent()) {
      problems.add(username.isPresent() ? REGISTRY_PASSWORD : REGISTRY_USERNAME, "registry-username and"
          + " registry-password go together; give both, or use identity instead");
    }
    if (username.isPresent() && identity.isPresent()) {
      problems.add(IDENTITY, "registry-username/registry-password and identity exclude each other; pull with one of"
          + " them");
    }
    if ((username.isPresent() || password.isPresent() || identity.isPresent()) && server.isEmpty()) {
      problems.add(REGISTRY_SERVER, "registry-server is required with registry credentials or identity; use the"
          + " registry's login server, such as myregistry.azurecr.io");
    }
    if (server.isPresent() && username.isEmpty() && password.isEmpty() && identity.isEmpty()) {
      problems.add(REGISTRY_SERVER, "registry-server needs registry-username and registry-password, or identity;"
          + " public images need no registry-server");
    }
    identity.filter(id -> !IDENTITY_ID.matcher(id).matches()).ifPresent(id -> problems.add(IDENTITY, "identity '"
        + id + "' is not a user-assigned identity resource id; use /subscriptions/SUB/resourceGroups/RG/providers/"
        + "Microsoft.ManagedIdentity/userAssignedIdentities/NAME"));
    String priority = settings.getOrDefault(PRIORITY, "Regular");
    boolean spot = priority.equalsIgnoreCase("Spot");
    if (!spot && !priority.equalsIgnoreCase("Regular")) {
      problems.add(PRIORITY, "priority '" + priority + "' is not supported; use Regular or Spot");
    }
    List<String> zones = settings.list(ZONES);
    if (zones.size() > 1) {
      problems.add(ZONES, "zones lists " + zones.size() + " zones; an ACI container group goes to one zone: use 1, 2"
          + " or 3");
    }
    zones.stream().filter(z -> !z.matches("[1-3]")).forEach(z ->
        problems.add(ZONES, "zones: '" + z + "' is not an availability zone; use 1, 2 or 3"));
    problems.throwIfAny();
    return new AciSettings(scope.subscriptionId(), scope.resourceGroup(),
        location.toLowerCase(Locale.ROOT).replace(" ", ""), image, cpu, memory, subnetIds, server, username, password,
        identity, spot, zones.stream().findFirst(), scope.endpoint());
  }

  /**
   * A typed builder for embedding code, checked by the same rules as {@link #parse} (the same problems, tied to
   * the same setting names). Does not block.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link AciSettings} from typed values; unset values take the inputs' defaults (2 cores, 4 GiB,
   * Regular priority). Not thread-safe; every setter returns this builder. {@code toString()} is not overridden
   * and shows nothing.
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

    /** The subscription's GUID. Required. */
    public Builder subscriptionId(String subscriptionId) {
      return put(SUBSCRIPTION_ID, subscriptionId);
    }

    /** The resource group of the runners' container groups. Required. */
    public Builder resourceGroup(String resourceGroup) {
      return put(RESOURCE_GROUP, resourceGroup);
    }

    /** The Azure region, such as {@code westeurope}. Required to launch. */
    public Builder location(String location) {
      return put(LOCATION, location);
    }

    /** The runner image. Required to launch. */
    public Builder image(String image) {
      return put(IMAGE, image);
    }

    /** Cores per runner, up to 4; default 2. */
    public Builder cpu(BigDecimal cpu) {
      return put(CPU, cpu == null ? null : cpu.toPlainString());
    }

    /** GiB per runner in steps of 0.1, up to 16; default 4. */
    public Builder memoryInGb(BigDecimal memoryInGb) {
      return put(MEMORY, memoryInGb == null ? null : memoryInGb.toPlainString());
    }

    /** Subnet resource ids for VNet injection (private IP only). */
    public Builder subnetIds(List<String> subnetIds) {
      return put(SUBNET_IDS, subnetIds == null ? null : String.join(",", subnetIds));
    }

    /** A private registry's login server, with {@link #registryCredentials} or {@link #identity}. */
    public Builder registryServer(String registryServer) {
      return put(REGISTRY_SERVER, registryServer);
    }

    /** The private registry's user name and password. */
    public Builder registryCredentials(String username, String password) {
      put(REGISTRY_USERNAME, username);
      return put(REGISTRY_PASSWORD, password);
    }

    /** A user-assigned managed identity resource id that pulls the image from the registry server. */
    public Builder identity(String identity) {
      return put(IDENTITY, identity);
    }

    /** Spot priority (falling back to Regular on capacity errors) when true; default Regular. */
    public Builder spot(boolean spot) {
      return put(PRIORITY, spot ? "Spot" : "Regular");
    }

    /** The availability zone: 1, 2 or 3. */
    public Builder zone(String zone) {
      return put(ZONES, zone);
    }

    /**
     * An https ARM endpoint override (Azure Stack Hub, a local fake) for the client the launcher builder creates;
     * not applied to a {@code ContainerInstanceManager} you pass in.
     */
    public Builder endpoint(URI endpoint) {
      return put(ENDPOINT, endpoint);
    }

    /**
     * Checks every value a launch needs at once. Does not block; calls nothing.
     *
     * @throws InvalidSettingsException listing every problem, each tied to its setting name (as {@link #parse});
     *     never the registry password
     */
    public AciSettings build() {
      return parse(new BackendSettings(values, Clock.systemUTC()));
    }

    /**
     * Checks only subscription, resource group and endpoint, what stop, sweep and status need. Does not block.
     *
     * @throws InvalidSettingsException listing every problem, each tied to its setting name
     */
    public AciScope buildScope() {
      SettingProblems problems = new SettingProblems();
      AciScope scope = AciScope.read(new BackendSettings(values, Clock.systemUTC()), problems);
      problems.throwIfAny();
      return scope;
    }
  }

  private static BigDecimal number(BackendSettings settings, String input, String fallback,
      SettingProblems problems) {
    String text = settings.getOrDefault(input, fallback);
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      problems.add(input, input + " '" + text + "' is not a number; use a decimal such as " + fallback);
      return null;
    }
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
