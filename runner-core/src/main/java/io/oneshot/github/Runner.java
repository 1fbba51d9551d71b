package io.oneshot.github;

import java.util.List;
import java.util.Objects;

/**
 * A self-hosted runner as GitHub lists it.
 *
 * @param id GitHub's runner id
 * @param name the runner's name, unique in its scope
 * @param os the OS GitHub reports ({@code unknown} until it first connects)
 * @param status {@code online} or {@code offline}
 * @param busy whether it is running a job
 * @param labels label names, read-only and custom
 * @param ephemeral whether it takes one job only
 */
public record Runner(long id, String name, String os, String status, boolean busy, List<String> labels,
    boolean ephemeral) {

  public Runner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(status, "status");
    labels = List.copyOf(labels);
  }

  /** Whether GitHub sees it connected. */
  public boolean isOnline() {
    return "online".equalsIgnoreCase(status);
  }

  /** Whether it carries that label (GitHub compares labels case-insensitively). */
  public boolean hasLabel(String label) {
    return labels.stream().anyMatch(label::equalsIgnoreCase);
  }
}
