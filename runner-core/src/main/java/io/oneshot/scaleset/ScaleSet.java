package io.oneshot.scaleset;

import java.util.List;

/** A runner scale set as the Actions service describes it. */
public record ScaleSet(long id, String name, long runnerGroupId, String runnerGroupName, List<String> labels,
    ScaleSetStatistics statistics) {
  public ScaleSet {
    labels = List.copyOf(labels);
  }
}
