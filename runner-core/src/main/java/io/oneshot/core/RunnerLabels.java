package io.oneshot.core;

import io.oneshot.github.Runner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The label set of a oneshot runner: {@code self-hosted}, {@code Linux}, the architecture,
 * {@code ephemeral}, the prefix, the user's labels, the batch label and, when the batch belongs to a
 * workflow run, {@code oneshot-run-<run id>}, then the owner label {@code oneshot-owner-<owner>} and, per
 * registration, {@code oneshot-created-<epoch seconds in base 36>}; de-duplicated case-insensitively
 * (GitHub compares labels that way), first spelling kept. The owner and created labels are what the
 * sweep trusts on the GitHub side: a registration without this owner's label is never its, and one
 * younger than the boot timeout is never deleted. Stateless; pure functions.
 */
public final class RunnerLabels {
  /** The prefix of the label that names the workflow run a runner was started by. */
  public static final String RUN_LABEL_PREFIX = "oneshot-run-";
  /** The prefix of the label that names a runner's owner ({@link FleetOwner}). */
  public static final String OWNER_LABEL_PREFIX = "oneshot-owner-";
  /** The prefix of the label that says when a runner was registered (epoch seconds, base 36). */
  public static final String CREATED_LABEL_PREFIX = "oneshot-created-";
  /** Labels oneshot writes itself; a user label may not start with them. */
  public static final List<String> RESERVED_PREFIXES = List.of(OWNER_LABEL_PREFIX, CREATED_LABEL_PREFIX);

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
    return unique(all);
  }

  /**
   * The labels to send with a runner's registration for an owner: {@link #forRunner(String, String, List,
   * String, Optional)} followed by {@link #ownerLabel}. The created label is added per registration
   * ({@link #withCreated}).
   */
  public static List<String> forRunner(String architecture, String prefix, List<String> userLabels,
      String batchLabel, Optional<String> workflowRun, String owner) {
    List<String> all = new ArrayList<>(forRunner(architecture, prefix, userLabels, batchLabel, workflowRun));
    all.add(ownerLabel(owner));
    return unique(all);
  }

  /** These labels with {@link #createdLabel} of {@code at} at the end. */
  public static List<String> withCreated(List<String> labels, Instant at) {
    List<String> all = new ArrayList<>(labels);
    all.add(createdLabel(at));
    return unique(all);
  }

  /** The registration label of an owner: {@code oneshot-owner-<owner value>}. */
  public static String ownerLabel(String owner) {
    return OWNER_LABEL_PREFIX + owner;
  }

  /** The registration label of a registration time: {@code oneshot-created-<epoch seconds, base 36>}. */
  public static String createdLabel(Instant at) {
    return CREATED_LABEL_PREFIX + Long.toString(at.getEpochSecond(), 36);
  }

  /** When the runner was registered, from its created label; empty without one that reads. */
  public static Optional<Instant> created(Runner runner) {
    for (String label : runner.labels()) {
      if (label.regionMatches(true, 0, CREATED_LABEL_PREFIX, 0, CREATED_LABEL_PREFIX.length())) {
        try {
          return Optional.of(Instant.ofEpochSecond(
              Long.parseLong(label.substring(CREATED_LABEL_PREFIX.length()).toLowerCase(Locale.ROOT), 36)));
        } catch (NumberFormatException | java.time.DateTimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the label starts with a prefix oneshot reserves for its own labels. */
  public static boolean isReserved(String label) {
    return RESERVED_PREFIXES.stream().anyMatch(p -> label.regionMatches(true, 0, p, 0, p.length()));
  }

  private static List<String> unique(List<String> all) {
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
