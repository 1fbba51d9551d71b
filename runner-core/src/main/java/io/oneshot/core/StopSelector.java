package io.oneshot.core;

import io.oneshot.github.Runner;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;

/**
 * Which runners a stop is about: one batch (its label) or every batch of one workflow run (its run
 * label and tag). Matches registrations by label and containers by tag. Values only.
 */
sealed interface StopSelector {
  /** The batch label, or {@code oneshot-run-<id>}: what the report is named after. */
  String name();

  /** Whether the registration belongs to the selection. */
  boolean matches(Runner runner);

  /** Whether the container (already known to carry the owner's tag) belongs to the selection. */
  boolean matches(LaunchedRunner container);

  /** The runners of one batch. */
  record Batch(String label) implements StopSelector {
    @Override
    public String name() {
      return label;
    }

    @Override
    public boolean matches(Runner runner) {
      return runner.hasLabel(label);
    }

    @Override
    public boolean matches(LaunchedRunner container) {
      return container.tag(OwnershipTags.LABEL).filter(OwnershipTags.safeValue(label)::equals).isPresent();
    }
  }

  /** The runners of every batch one workflow run started. */
  record Run(String runId) implements StopSelector {
    @Override
    public String name() {
      return RunnerLabels.runLabel(runId);
    }

    @Override
    public boolean matches(Runner runner) {
      return runner.hasLabel(RunnerLabels.runLabel(runId));
    }

    @Override
    public boolean matches(LaunchedRunner container) {
      return container.tag(OwnershipTags.RUN).filter(runId::equals).isPresent();
    }
  }
}
