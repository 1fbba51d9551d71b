package io.oneshot.backend.cloudrun;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Execution;
import io.oneshot.spi.OwnershipTags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries the ownership tags as container environment: Cloud Run executions cannot take per-run labels,
 * so {@code oneshot-owner} travels as {@code ONESHOT_OWNER} and so on, together with the idempotency key,
 * and is read back from the execution's template. Only the five {@link OwnershipTags} are carried.
 * Stateless.
 */
final class OwnershipEnv {
  /** The env variable that carries the launch's idempotency key. */
  static final String IDEMPOTENCY_KEY = "ONESHOT_IDEMPOTENCY_KEY";
  private static final Map<String, String> TAG_TO_ENV = Map.of(
      OwnershipTags.OWNER, "ONESHOT_OWNER",
      OwnershipTags.LABEL, "ONESHOT_LABEL",
      OwnershipTags.RUNNER, "ONESHOT_RUNNER",
      OwnershipTags.GITHUB_ID, "ONESHOT_GITHUB_ID",
      OwnershipTags.EXPIRES, "ONESHOT_EXPIRES");

  private OwnershipEnv() {}

  /** The env variables for these tags (other tag names are not carried). */
  static Map<String, String> env(Map<String, String> tags) {
    Map<String, String> env = new LinkedHashMap<>();
    new java.util.TreeMap<>(tags).forEach((tag, value) -> {
      String name = TAG_TO_ENV.get(tag);
      if (name != null) {
        env.put(name, value);
      }
    });
    return env;
  }

  /** The tags an execution's runner container carries. */
  static Map<String, String> tags(Execution execution, Optional<String> containerName) {
    Map<String, String> env = environment(execution, containerName);
    Map<String, String> tags = new LinkedHashMap<>();
    TAG_TO_ENV.forEach((tag, name) -> {
      String value = env.get(name);
      if (value != null) {
        tags.put(tag, value);
      }
    });
    return tags;
  }

  /** The idempotency key an execution was launched with. */
  static Optional<String> idempotencyKey(Execution execution, Optional<String> containerName) {
    return Optional.ofNullable(environment(execution, containerName).get(IDEMPOTENCY_KEY));
  }

  /**
   * The runner container's literal env values (secrets included: never log them). The runner container is the
   * named one when the launcher knows it; else the template's only container; else the one whose env carries
   * {@link #IDEMPOTENCY_KEY} (oneshot overrides exactly one container, the runner's).
   */
  private static Map<String, String> environment(Execution execution, Optional<String> containerName) {
    List<Container> containers = execution.getTemplate().getContainersList();
    Optional<Container> runner = containers.size() == 1 ? Optional.of(containers.get(0))
        : containerName.isPresent() ? containers.stream().filter(c -> c.getName().equals(containerName.get())).findFirst()
        : containers.stream().filter(c -> c.getEnvList().stream().anyMatch(v -> v.getName().equals(IDEMPOTENCY_KEY)))
            .findFirst();
    Map<String, String> env = new LinkedHashMap<>();
    runner.ifPresent(container -> container.getEnvList().forEach(var -> env.put(var.getName(), var.getValue())));
    return env;
  }
}
