package io.oneshot.backend.ecs;

import io.oneshot.spi.InvalidSettingsException;
import java.util.List;
import java.util.Optional;

/**
 * Turns the network settings into ids: subnets and security groups given by tag are looked up with
 * EC2 DescribeSubnets / DescribeSecurityGroups (all pages, through {@link Ec2Lookup}). Ids given directly
 * are passed on unchecked, as before: ECS validates them at RunTask. Nothing checks that the subnets and groups
 * share a VPC (neither did the SDK-client version); RunTask refuses a mix. Blocks on EC2; idempotent (read-only).
 */
final class NetworkResolver {
  private final Ec2Lookup ec2;

  /** {@code ec2} may be null when no tag is set (no lookup happens). */
  NetworkResolver(Ec2Lookup ec2) {
    this.ec2 = ec2;
  }

  /**
   * The network for the settings, or empty when tasks do not use awsvpc.
   *
   * @throws InvalidSettingsException when a tag selects nothing
   */
  Optional<EcsNetwork> resolve(EcsSettings settings) {
    if (!settings.usesAwsvpc()) {
      return Optional.empty();
    }
    List<String> subnets = settings.subnetsTag().map(this::subnetsTagged).orElse(settings.subnets());
    List<String> groups = settings.securityGroupsTag().map(this::groupsTagged).orElse(settings.securityGroups());
    return Optional.of(new EcsNetwork(subnets, groups, settings.assignPublicIp()));
  }

  private List<String> subnetsTagged(TagFilter tag) {
    List<String> ids = ec2.subnets(tag).stream().map(Ec2Lookup.Resource::id).sorted().toList();
    if (ids.isEmpty()) {
      throw InvalidSettingsException.of(EcsSettings.SUBNETS_TAG, "subnets-tag '" + tag + "' matches no subnet in this account and region;"
          + " tag the runners' subnets with it or pass subnets by id");
    }
    if (ids.size() > 16) {
      throw InvalidSettingsException.of(EcsSettings.SUBNETS_TAG, "subnets-tag '" + tag + "' matches " + ids.size() + " subnets; ECS takes at"
          + " most 16: use a narrower tag");
    }
    return ids;
  }

  private List<String> groupsTagged(TagFilter tag) {
    List<String> ids = ec2.securityGroups(tag).stream().map(Ec2Lookup.Resource::id).sorted().toList();
    if (ids.isEmpty()) {
      throw InvalidSettingsException.of(EcsSettings.SECURITY_GROUPS_TAG, "security-groups-tag '" + tag + "' matches no security group in this"
          + " account and region; tag the runners' security group with it or pass security-groups by id");
    }
    if (ids.size() > 5) {
      throw InvalidSettingsException.of(EcsSettings.SECURITY_GROUPS_TAG, "security-groups-tag '" + tag + "' matches "
          + ids.size()
          + " security groups; ECS takes at most 5: use a narrower tag");
    }
    return ids;
  }
}
