package io.oneshot.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The label set of a oneshot runner: {@code self-hosted}, {@code Linux}, the architecture,
 * {@code ephemeral}, the prefix, the user's labels, the batch label and, when the batch belongs to a
 * workflow run, {@code oneshot-run-<run id>} last; de-duplicated case-insensitively (GitHub compares
 * labels that way), first spelling kept. Stateless; pure functions.
 */
public final class RunnerLabels {
  /** The prefix of the label that names the workflow run a runner was started by. */
  public static final String RUN_LABEL_PREFIX = "oneshot-run-";

  private RunnerLabels() {}

  /** The labels to send with a runner's registration, without a workflow run label. */
  public static List<String> forRunner(String architecture, String prefix, List<String> userLabels,
      String batchLabel) {
    return forRunner(architecture, prefix, userLabels, batchLabel, Optional.empty());
  }

  /** The labels to send with a runner's registration; the run label, when there is a run, comes last. */
  public static List<String> forRunner(String architecture, String prefix, List<String> userLabels,
      String batchLabel, Optional<String> workflowRun) {
    List<String> all = new ArrayList<>(List.of("self-hosted", "Linux", architecture, "ephemeral", prefix));
    all.addAll(userLabels);
    all.add(batchLabel);
    workflowRun.map(RunnerLabels::runLabel).ifPresent(all::add);
    Map<String, String> unique = new LinkedHashMap<>();
    for (String label : all) {
      if (!label.isBlank()) {
        unique.putIfAbsent(label.toLowerCase(Locale.ROOT), label);
      }
    }
    return List.copyOf(unique.values());
  }

  /** The registration label of the runners a workflow run started: {@code oneshot-run-<run id>}. */
  public static String runLabel(String workflowRun) {
    return RUN_LABEL_PREFIX + workflowRun;
  }
}
