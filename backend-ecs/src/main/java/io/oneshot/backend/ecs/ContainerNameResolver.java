package io.oneshot.backend.ecs;

import io.oneshot.spi.InvalidSettingsException;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Finds the container that runs the runner in the task definition (ECS DescribeTaskDefinition):
 * the one named by {@code container-name}, else the only container, else the one named like the
 * family. Blocks on ECS; idempotent (read-only).
 */
final class ContainerNameResolver {
  private final EcsClient ecs;

  ContainerNameResolver(EcsClient ecs) {
    this.ecs = ecs;
  }

  /**
   * The container name to override.
   *
   * @throws InvalidSettingsException when the named container does not exist or the choice is ambiguous
   */
  String resolve(EcsSettings settings) {
    TaskDefinition definition = ecs.describeTaskDefinition(r -> r.taskDefinition(settings.taskDefinition()))
        .taskDefinition();
    List<String> names = definition.containerDefinitions().stream().map(ContainerDefinition::name).toList();
    if (settings.containerName().isPresent()) {
      String wanted = settings.containerName().get();
      if (!names.contains(wanted)) {
        throw InvalidSettingsException.of(EcsSettings.CONTAINER_NAME, "container-name '" + wanted + "' is not a container of task definition "
            + definition.family() + ":" + definition.revision() + "; its containers: " + String.join(", ", names));
      }
      return wanted;
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    if (names.contains(definition.family())) {
      return definition.family();
    }
    throw InvalidSettingsException.of(EcsSettings.CONTAINER_NAME, "task definition " + definition.family() + ":" + definition.revision()
        + " has " + names.size() + " containers (" + String.join(", ", names) + "); set container-name to the"
        + " runner's container");
  }
}
