package io.oneshot.backend.ecs;

import java.util.List;

/**
 * The resolved awsvpc network of the runner tasks: subnet and security group ids.
 *
 * @param subnets subnet ids (never names or tags)
 * @param securityGroups security group ids; empty for the VPC's default group
 * @param assignPublicIp whether tasks get a public IP
 */
public record EcsNetwork(List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {
  public EcsNetwork {
    subnets = List.copyOf(subnets);
    securityGroups = List.copyOf(securityGroups);
  }
}
