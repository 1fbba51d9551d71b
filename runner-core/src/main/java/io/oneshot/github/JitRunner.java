package io.oneshot.github;

import java.util.Objects;

/**
 * A runner registered just in time, with the single-use config that lets one runner process join as
 * it. The config is a secret: {@code toString()} hides it.
 */
public record JitRunner(Runner runner, String encodedJitConfig) {
  public JitRunner {
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(encodedJitConfig, "encodedJitConfig");
  }

  @Override
  public String toString() {
    return "JitRunner[runner=" + runner + ", encodedJitConfig=***]";
  }
}
