package io.oneshot.fakes.ecs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fake's VPC inventory: subnets and security groups, in the order added. Thread-safe. */
public final class Network {
  /** A subnet; {@code index} numbers it (its CIDR is {@code 10.0.<index>.0/24}). */
  public record Subnet(String subnetId, String vpcId, String availabilityZone, Map<String, String> tags, int index) {
    public String cidrBlock() {
      return "10.0." + index + ".0/24";
    }
  }

  /** A security group. */
  public record SecurityGroup(String groupId, String groupName, String vpcId, Map<String, String> tags) {}

  private final Map<String, Subnet> subnets = new LinkedHashMap<>();
  private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();

  public synchronized void addSubnet(String subnetId, String vpcId, String availabilityZone, Map<String, String> tags) {
    if (subnets.containsKey(subnetId)) {
      throw new IllegalArgumentException("subnet " + subnetId + " exists already");
    }
    subnets.put(subnetId, new Subnet(subnetId, vpcId, availabilityZone, Map.copyOf(tags), (subnets.size() % 250) + 1));
  }

  public synchronized void addSecurityGroup(String groupId, String groupName, String vpcId, Map<String, String> tags) {
    if (groups.containsKey(groupId)) {
      throw new IllegalArgumentException("security group " + groupId + " exists already");
    }
    groups.put(groupId, new SecurityGroup(groupId, groupName, vpcId, Map.copyOf(tags)));
  }

  public synchronized Optional<Subnet> subnet(String id) {
    return Optional.ofNullable(subnets.get(id));
  }

  public synchronized Optional<SecurityGroup> securityGroup(String id) {
    return Optional.ofNullable(groups.get(id));
  }

  public synchronized List<Subnet> subnets() {
    return new ArrayList<>(subnets.values());
  }

  public synchronized List<SecurityGroup> securityGroups() {
    return new ArrayList<>(groups.values());
  }
}
