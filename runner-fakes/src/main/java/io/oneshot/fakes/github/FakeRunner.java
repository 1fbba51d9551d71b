package io.oneshot.fakes.github;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one self-hosted runner as the {@link FakeGitHub} sees it. Immutable.
 *
 * @param id GitHub's runner id
 * @param name the runner name, unique within its scope
 * @param status {@code "online"} or {@code "offline"}
 * @param busy whether it is running a job
 * @param labels its label names (read-only and custom), in order
 * @param ephemeral whether it is removed after one job (JIT runners always are)
 * @param groupId its runner group id (1 is the default group)
 */
public record FakeRunner(long id, String name, String status, boolean busy, List<String> labels,
    boolean ephemeral, long groupId) {
  public FakeRunner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    labels = List.copyOf(labels);
  }

  /** Whether {@link #status()} is {@code "online"}. */
  public boolean online() {
    return "online".equals(status);
  }
}
