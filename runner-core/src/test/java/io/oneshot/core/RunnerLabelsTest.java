package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunnerLabelsTest {
  @Test
  void theSeedsRunsOnMatches() {
    List<String> labels = RunnerLabels.forRunner("X64", "dev", List.of("db"), "dev-0123456789abcdef");

    assertThat(labels).containsExactly("self-hosted", "Linux", "X64", "ephemeral", "dev", "db", "dev-0123456789abcdef");
  }

  @Test
  void duplicatesAreDroppedCaseInsensitivelyKeepingTheFirstSpelling() {
    List<String> labels = RunnerLabels.forRunner("ARM64", "oneshot", List.of("linux", "Self-Hosted", "gpu", "GPU"), "b");

    assertThat(labels).containsExactly("self-hosted", "Linux", "ARM64", "ephemeral", "oneshot", "gpu", "b");
  }

  @Test
  void theWorkflowRunLabelComesLast() {
    List<String> labels = RunnerLabels.forRunner("X64", "dev", List.of("db"), "dev-0123456789abcdef",
        Optional.of("4242"));

    assertThat(labels).containsExactly("self-hosted", "Linux", "X64", "ephemeral", "dev", "db", "dev-0123456789abcdef",
        "oneshot-run-4242");
  }
}
