package io.oneshot.backend.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIdentity;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIdentityUserAssignedIdentities;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupNetworkProtocol;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSubnetId;
import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.ImageRegistryCredential;
import com.azure.resourcemanager.containerinstance.models.IpAddress;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.Port;
import com.azure.resourcemanager.containerinstance.models.ResourceIdentityType;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.RunnerEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the container group PUT body for one runner: one Linux container named {@value #CONTAINER}
 * with the runner image, cpu and memory, the container environment with the credential as a
 * {@code secureValue} (never returned by GET), {@code restartPolicy: Never}, the priority of the
 * capacity option (Spot first when configured, then Regular), the optional VNet subnets with a private
 * IP, zone, registry credential or pull identity, and the tags. Stateless.
 */
final class GroupRequest {
  /** The runner container's name inside its group. */
  static final String CONTAINER = "runner";
  /**
   * ACI reports a group's private IP only through an {@code ipAddress}, which must list a port; nothing
   * in the runner listens on it, and the subnet's network security group decides what reaches it.
   */
  static final int PRIVATE_IP_PORT = 80;

  private GroupRequest() {}

  static ContainerGroupInner build(AciSettings settings, LaunchSpec spec, Instant now) {
    List<EnvironmentVariable> environment = new ArrayList<>();
    spec.containerEnvironment().forEach((name, value) -> environment.add(RunnerEnvironment.isSecret(name)
        ? new EnvironmentVariable().withName(name).withSecureValue(value)
        : new EnvironmentVariable().withName(name).withValue(value)));
    Container container = new Container().withName(CONTAINER).withImage(settings.image())
        .withResources(new ResourceRequirements().withRequests(new ResourceRequests()
            .withCpu(settings.cpu().doubleValue()).withMemoryInGB(settings.memoryInGb().doubleValue())))
        .withEnvironmentVariables(environment);
    ContainerGroupInner group = new ContainerGroupInner()
        .withContainers(List.of(container))
        .withOsType(OperatingSystemTypes.LINUX)
        .withRestartPolicy(ContainerGroupRestartPolicy.NEVER)
        .withPriority(spotFor(settings, spec.capacityOption()) ? ContainerGroupPriority.SPOT
            : ContainerGroupPriority.REGULAR);
    group.withLocation(settings.location());
    group.withTags(tags(spec, now));
    if (!settings.subnetIds().isEmpty()) {
      group.withSubnetIds(settings.subnetIds().stream().map(id -> new ContainerGroupSubnetId().withId(id)).toList());
      group.withIpAddress(new IpAddress().withType(ContainerGroupIpAddressType.PRIVATE)
          .withPorts(List.of(new Port().withProtocol(ContainerGroupNetworkProtocol.TCP).withPort(PRIVATE_IP_PORT))));
    }
    settings.zone().ifPresent(zone -> group.withZones(List.of(zone)));
    settings.identity().ifPresent(identity -> group.withIdentity(new ContainerGroupIdentity()
        .withType(ResourceIdentityType.USER_ASSIGNED)
        .withUserAssignedIdentities(Map.of(identity, new ContainerGroupIdentityUserAssignedIdentities()))));
    settings.registryServer().ifPresent(server -> {
      ImageRegistryCredential credential = new ImageRegistryCredential().withServer(server);
      if (settings.identity().isPresent()) {
        credential.withIdentity(settings.identity().get());
      } else {
        credential.withUsername(settings.registryUsername().orElseThrow())
            .withPassword(settings.registryPassword().orElseThrow());
      }
      group.withImageRegistryCredentials(List.of(credential));
    });
    return group;
  }

  /** Whether this capacity option runs on Spot: option 0 when Spot is configured. */
  static boolean spotFor(AciSettings settings, int capacityOption) {
    return settings.spot() && capacityOption == 0;
  }

  /** The ownership tags, the idempotency key, the exact runner name and the launch time. */
  static Map<String, String> tags(LaunchSpec spec, Instant now) {
    Map<String, String> tags = new LinkedHashMap<>(spec.tags());
    tags.put(AciTags.IDEMPOTENCY_KEY, spec.idempotencyKey());
    tags.put(AciTags.RUNNER_NAME, spec.runnerName());
    tags.put(AciTags.LAUNCHED, Long.toString(now.getEpochSecond()));
    return tags;
  }
}
