package io.oneshot.spi;

import java.net.URI;
import java.util.Objects;

/**
 * What a runner container uses to join GitHub: a single-use JIT config (the default), or a
 * registration token for runner images that register themselves. Both are secrets: {@code toString()}
 * never shows them.
 */
public sealed interface RunnerCredential {

  /**
   * A just-in-time runner configuration from {@code generate-jitconfig}; registers exactly one runner
   * for exactly one job.
   */
  record JitConfig(String encodedJitConfig) implements RunnerCredential {
    public JitConfig {
      Objects.requireNonNull(encodedJitConfig, "encodedJitConfig");
    }

    @Override
    public String toString() {
      return "JitConfig[***]";
    }
  }

  /**
   * A registration token with what {@code config.sh} needs besides it.
   *
   * @param token the registration token (one hour, reusable until then: keep it short-lived)
   * @param url the URL {@code config.sh --url} takes (server URL plus owner path, not the API URL)
   * @param runnerGroup the runner group name
   * @param workFolder the runner's work folder
   */
  record RegistrationToken(String token, URI url, String runnerGroup, String workFolder)
      implements RunnerCredential {
    public RegistrationToken {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(runnerGroup, "runnerGroup");
      Objects.requireNonNull(workFolder, "workFolder");
    }

    @Override
    public String toString() {
      return "RegistrationToken[token=***, url=" + url + ", runnerGroup=" + runnerGroup
          + ", workFolder=" + workFolder + "]";
    }
  }

  /** The secret value itself, for the one place that hands it to the container. */
  default String secret() {
    if (this instanceof JitConfig jit) {
      return jit.encodedJitConfig();
    }
    return ((RegistrationToken) this).token();
  }
}
