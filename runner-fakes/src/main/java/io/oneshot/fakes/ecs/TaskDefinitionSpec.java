package io.oneshot.fakes.ecs;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task definition to register in a {@link FakeEcs} ({@link FakeEcs#registerTaskDefinition}): its
 * family, containers, network mode ({@code awsvpc}, {@code bridge}, {@code host} or {@code none}),
 * {@code requiresCompatibilities} ({@code FARGATE}, {@code EC2}, ...) and task-level cpu and memory (as
 * ECS writes them, e.g. {@code "1024"}, {@code "2048"}). An immutable value.
 */
public record TaskDefinitionSpec(String family, List<ContainerSpec> containers, String networkMode,
    List<String> requiresCompatibilities, String cpu, String memory) {

  public TaskDefinitionSpec {
    Objects.requireNonNull(family, "family");
    if (!family.matches("[A-Za-z0-9_-]{1,255}")) {
      throw new IllegalArgumentException("a family is 1-255 letters, digits, '-' or '_'");
    }
    containers = List.copyOf(containers);
    if (containers.isEmpty()) {
      throw new IllegalArgumentException("a task definition needs at least one container");
    }
    if (containers.stream().map(ContainerSpec::name).distinct().count() != containers.size()) {
      throw new IllegalArgumentException("container names must be unique");
    }
    Objects.requireNonNull(networkMode, "networkMode");
    if (!List.of("awsvpc", "bridge", "host", "none").contains(networkMode)) {
      throw new IllegalArgumentException("networkMode must be awsvpc, bridge, host or none");
    }
    requiresCompatibilities = List.copyOf(requiresCompatibilities);
  }

  /** A Fargate task definition (awsvpc, FARGATE, 1 vCPU, 2 GiB) with one essential container. */
  public static TaskDefinitionSpec fargate(String family, String containerName, String image) {
    return new TaskDefinitionSpec(family, List.of(ContainerSpec.of(containerName, image)), "awsvpc",
        List.of("FARGATE"), "1024", "2048");
  }

  /**
   * One container of a task definition: name, image, whether it is essential and its environment (the
   * task definition's own, which RunTask overrides add to). An immutable value.
   */
  public record ContainerSpec(String name, String image, boolean essential, Map<String, String> environment) {
    public ContainerSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(image, "image");
      if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
        throw new IllegalArgumentException("a container name is 1-255 letters, digits, '-' or '_'");
      }
      environment = Map.copyOf(environment);
    }

    /** An essential container with no environment of its own. */
    public static ContainerSpec of(String name, String image) {
      return new ContainerSpec(name, image, true, Map.of());
    }

    @Override
    public String toString() {
      return "ContainerSpec[" + name + ", " + image + ", essential=" + essential + ", environment="
          + environment.keySet() + "]";
    }
  }
}
