package io.oneshot.fakes.aci;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container group in a {@link FakeAci} as observed at one instant: what the PUT asked for and where
 * its lifecycle stands. The environment holds plain values only; secure values are listed by name in
 * {@code secureEnvironmentNames} and never exposed here.
 *
 * @param id the ARM resource id
 * @param resourceGroup the resource group
 * @param name the container group name
 * @param location the location
 * @param provisioningState ARM's provisioning state, for example {@code Succeeded} or {@code Deleting}
 * @param groupState the instance view state of the group ({@code Pending, Running, Succeeded, Failed}), empty before it has one
 * @param containerState the runner container's current state ({@code Waiting, Running, Terminated}), empty before it has one
 * @param exitCode the runner container's exit code once terminated
 * @param tags the group's tags
 * @param image the container image
 * @param cpu requested cores
 * @param memoryInGb requested memory
 * @param environment plain environment variables
 * @param secureEnvironmentNames names of the variables sent as {@code secureValue}
 * @param priority {@code Regular} or {@code Spot}, empty when not sent
 * @param zones the availability zones sent
 * @param subnetIds subnet resource ids for VNet injection
 * @param privateIp the private IP once assigned (groups with a private ipAddress)
 * @param registryServers image registry servers sent
 * @param userAssignedIdentities identity resource ids sent
 * @param restartPolicy the restart policy sent
 * @param osType the OS type sent
 */
public record FakeContainerGroup(String id, String resourceGroup, String name, String location,
    String provisioningState, Optional<String> groupState, Optional<String> containerState,
    Optional<Integer> exitCode, Map<String, String> tags, String image, double cpu, double memoryInGb,
    Map<String, String> environment, Set<String> secureEnvironmentNames, Optional<String> priority,
    List<String> zones, List<String> subnetIds, Optional<String> privateIp, List<String> registryServers,
    List<String> userAssignedIdentities, Optional<String> restartPolicy, String osType) {}
