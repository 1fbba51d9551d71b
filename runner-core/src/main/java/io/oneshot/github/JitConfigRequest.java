package io.oneshot.github;

import java.util.List;
import java.util.Objects;

/**
 * The body of {@code generate-jitconfig}. JIT runners get no default labels: send {@code self-hosted},
 * the OS and the architecture yourself.
 *
 * @param name the runner name, unique in the scope
 * @param runnerGroupId the group (1 is the default group, and the only one at repository scope)
 * @param labels 1 to 100 labels
 * @param workFolder the runner's work folder, relative to its home
 */
public record JitConfigRequest(String name, long runnerGroupId, List<String> labels, String workFolder) {
  public JitConfigRequest {
    Objects.requireNonNull(name, "name");
    labels = List.copyOf(labels);
    Objects.requireNonNull(workFolder, "workFolder");
    if (labels.isEmpty() || labels.size() > 100) {
      throw new IllegalArgumentException("a JIT runner takes 1 to 100 labels, got " + labels.size());
    }
  }
}
