package io.oneshot.fakes.ecs;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one task in a {@link FakeEcs}, as of the moment {@link FakeEcs#tasks()} was called:
 * where it stands in the lifecycle, what RunTask asked for (tags, startedBy, launch type or capacity
 * provider, the runner container's override environment, client token, networking) and how it stopped.
 * An immutable value; {@link #toString()} leaves out environment values (they hold secrets such as JIT
 * configs).
 *
 * @param cluster the cluster name
 * @param environment the environment of the container overrides for the runner container (override
 *     variables only; the task definition's own are not included)
 */
public record FakeTask(String taskArn, String cluster, String lastStatus, String desiredStatus,
    Map<String, String> tags, Optional<String> startedBy, Optional<String> launchType,
    Optional<String> capacityProviderName, Map<String, String> environment, Optional<String> clientToken,
    Optional<String> stopCode, Optional<String> stoppedReason, Optional<Integer> exitCode, List<String> subnets,
    List<String> securityGroups, Optional<String> assignPublicIp) {

  public FakeTask {
    tags = Map.copyOf(tags);
    environment = Map.copyOf(environment);
    subnets = List.copyOf(subnets);
    securityGroups = List.copyOf(securityGroups);
  }

  /** The task id: the last segment of the ARN. */
  public String taskId() {
    return taskArn.substring(taskArn.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return "FakeTask[" + taskArn + ", " + lastStatus + "/" + desiredStatus + ", tags=" + tags + ", startedBy="
        + startedBy.orElse("") + ", launchType=" + launchType.orElse("") + ", capacityProvider="
        + capacityProviderName.orElse("") + ", environment=" + environment.keySet() + ", stopCode="
        + stopCode.orElse("") + ", exitCode=" + exitCode.map(String::valueOf).orElse("") + "]";
  }
}
