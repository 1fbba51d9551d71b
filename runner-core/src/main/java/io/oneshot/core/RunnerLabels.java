package io.oneshot.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The label set of a oneshot runner: {@code self-hosted}, {@code Linux}, the architecture,
 * {@code ephemeral}, the prefix, the user's labels and the batch label, de-duplicated
 * case-insensitively (GitHub compares labels that way), first spelling kept. Stateless.
 */
public final class RunnerLabels {
  private RunnerLabels() {}

  /** The labels to send with a runner's registration. */
  public static List<String> forRunner(String architecture, String prefix, List<String> userLabels,
      String batchLabel) {
    List<String> all = new ArrayList<>(List.of("self-hosted", "Linux", architecture, "ephemeral", prefix));
    all.addAll(userLabels);
    all.add(batchLabel);
    Map<String, String> unique = new LinkedHashMap<>();
    for (String label : all) {
      if (!label.isBlank()) {
        unique.putIfAbsent(label.toLowerCase(Locale.ROOT), label);
      }
    }
    return List.copyOf(unique.values());
  }
}
