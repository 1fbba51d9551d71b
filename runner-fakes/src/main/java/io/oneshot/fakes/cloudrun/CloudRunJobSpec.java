package io.oneshot.fakes.cloudrun;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Cloud Run job as the platform team would define it for a {@link FakeCloudRun}: its containers (the
 * first is the one the simulated runner runs in), task count, retries and task timeout. An immutable value.
 *
 * @param name the job id, for example {@code gh-runner}
 * @param containers the job template's containers, at least one
 * @param taskCount tasks per execution (the fake simulates the first task's container)
 * @param maxRetries retries per failed task (reported; the fake fails a task on its first failure)
 * @param timeout the task timeout (Cloud Run's default is 10 minutes)
 */
public record CloudRunJobSpec(String name, List<ContainerSpec> containers, int taskCount, int maxRetries,
    Duration timeout) {

  /**
   * One container of the job template.
   *
   * @param name the container name; may be empty for a job's only container
   * @param image the image reference
   * @param env the container's own environment, in order
   */
  public record ContainerSpec(String name, String image, Map<String, String> env) {
    public ContainerSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(image, "image");
      env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** A container without environment. */
    public static ContainerSpec of(String name, String image) {
      return new ContainerSpec(name, image, Map.of());
    }
  }

  public CloudRunJobSpec {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z]([a-z0-9-]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException("a job name has lower-case letters, digits and hyphens: " + name);
    }
    containers = List.copyOf(containers);
    if (containers.isEmpty()) {
      throw new IllegalArgumentException("a job has at least one container");
    }
    if (taskCount < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("taskCount must be >= 1 and maxRetries >= 0");
    }
    Objects.requireNonNull(timeout, "timeout");
  }

  /** A runner job: one container, one task, no retries, a one-hour timeout. */
  public static CloudRunJobSpec runner(String name, String containerName, String image) {
    return new CloudRunJobSpec(name, List.of(ContainerSpec.of(containerName, image)), 1, 0, Duration.ofHours(1));
  }
}
