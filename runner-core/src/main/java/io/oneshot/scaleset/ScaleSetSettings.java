package io.oneshot.scaleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a scale set should look like: its name (unique within its runner group, and the label jobs use in
 * {@code runs-on:}), its runner group id, and extra labels.
 *
 * @param labels extra labels; {@link #allLabels()} puts the name first and drops duplicates
 */
public record ScaleSetSettings(String name, long runnerGroupId, List<String> labels) {
  public ScaleSetSettings {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a scale set needs a name");
    }
    if (runnerGroupId <= 0) {
      throw new IllegalArgumentException("runnerGroupId must be positive (the default group is 1)");
    }
    labels = List.copyOf(labels);
  }

  /** The name, then the extra labels, without case-insensitive duplicates: what the scale set is given. */
  public List<String> allLabels() {
    List<String> all = new ArrayList<>();
    all.add(name);
    for (String label : labels) {
      if (!label.isBlank() && all.stream().noneMatch(l -> l.equalsIgnoreCase(label))) {
        all.add(label);
      }
    }
    return List.copyOf(all);
  }

  /** Whether {@code set} matches these settings (group and labels, labels case-insensitively, any order). */
  public boolean matches(ScaleSet set) {
    return set.runnerGroupId() == runnerGroupId && normalized(set.labels()).equals(normalized(allLabels()));
  }

  private static List<String> normalized(List<String> labels) {
    return labels.stream().map(l -> l.toLowerCase(Locale.ROOT)).distinct().sorted().toList();
  }
}
