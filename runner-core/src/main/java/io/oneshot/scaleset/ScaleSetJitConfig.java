package io.oneshot.scaleset;

import java.util.Objects;

/**
 * A scale-set runner registration with its single-use JIT config (the value of
 * {@code ACTIONS_RUNNER_INPUT_JITCONFIG}). A secret until the runner has used it: {@code toString()}
 * hides it.
 */
public record ScaleSetJitConfig(long runnerId, String runnerName, long scaleSetId, String encodedJitConfig) {
  public ScaleSetJitConfig {
    Objects.requireNonNull(runnerName, "runnerName");
    Objects.requireNonNull(encodedJitConfig, "encodedJitConfig");
  }

  @Override
  public String toString() {
    return "ScaleSetJitConfig[runnerId=" + runnerId + ", runnerName=" + runnerName + ", scaleSetId=" + scaleSetId
        + ", encodedJitConfig=***]";
  }
}
