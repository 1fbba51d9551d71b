package io.oneshot.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a backend needs to start one runner container. {@code toString()} hides the credential.
 *
 * @param runnerName the runner's name in GitHub, also the container's name where the cloud has one
 * @param labels the runner's labels (informational for JIT; used by token mode)
 * @param credential the JIT config or registration token
 * @param extraEnv more environment for the container (not secrets)
 * @param maxLifetime the longest the container may live
 * @param idleTimeout how long the runner waits for a job before exiting
 * @param tags the ownership tags ({@link OwnershipTags}), values already label-safe
 * @param idempotencyKey launching twice with the same key starts one container (at most 64 chars)
 * @param capacityOption index into the backend's capacity options; core increments it after a
 *     {@link FailureKind#CAPACITY} failure
 */
public record LaunchSpec(
    String runnerName,
    List<String> labels,
    RunnerCredential credential,
    Map<String, String> extraEnv,
    Duration maxLifetime,
    Duration idleTimeout,
    Map<String, String> tags,
    String idempotencyKey,
    int capacityOption) {

  public LaunchSpec {
    Objects.requireNonNull(runnerName, "runnerName");
    labels = List.copyOf(labels);
    Objects.requireNonNull(credential, "credential");
    extraEnv = Map.copyOf(extraEnv);
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (idempotencyKey.isEmpty() || idempotencyKey.length() > 64) {
      throw new IllegalArgumentException("idempotencyKey must have 1 to 64 characters");
    }
    if (capacityOption < 0) {
      throw new IllegalArgumentException("capacityOption must be >= 0");
    }
  }

  /**
   * The container environment the runner image expects ({@link RunnerEnvironment}), credential
   * included: pass it to the cloud as the container's env, secret entries as secrets where the cloud
   * can. Ordered, so the same spec always gives the same request.
   */
  public Map<String, String> containerEnvironment() {
    Map<String, String> env = new LinkedHashMap<>(new java.util.TreeMap<>(extraEnv));
    if (credential instanceof RunnerCredential.JitConfig jit) {
      env.put(RunnerEnvironment.JIT_CONFIG, jit.encodedJitConfig());
    } else if (credential instanceof RunnerCredential.RegistrationToken token) {
      env.put(RunnerEnvironment.RUNNER_URL, token.url().toString());
      env.put(RunnerEnvironment.RUNNER_TOKEN, token.token());
      env.put(RunnerEnvironment.RUNNER_NAME, runnerName);
      env.put(RunnerEnvironment.RUNNER_LABELS, String.join(",", labels));
      env.put(RunnerEnvironment.RUNNER_GROUP, token.runnerGroup());
      env.put(RunnerEnvironment.RUNNER_WORKDIR, token.workFolder());
    }
    env.put(RunnerEnvironment.IDLE_TIMEOUT, idleTimeout.toSeconds() + "s");
    env.put(RunnerEnvironment.MAX_LIFETIME, maxLifetime.toSeconds() + "s");
    return env;
  }

  /**
   * {@link #containerEnvironment()} with the credential sealed by {@code sealer} when there is one
   * ({@link RunnerEnvironment#SEALED_JIT_CONFIG} or {@link RunnerEnvironment#SEALED_RUNNER_TOKEN} in place of the
   * plain value, see {@link CredentialSealer#sealEnvironment}); unchanged without one. Does not block on I/O.
   */
  public Map<String, String> containerEnvironment(java.util.Optional<CredentialSealer> sealer) {
    Map<String, String> env = containerEnvironment();
    return sealer.map(s -> s.sealEnvironment(env)).orElse(env);
  }

  /** This spec for the next attempt: a fresh credential and idempotency key, a capacity option. */
  public LaunchSpec retryWith(RunnerCredential freshCredential, String newRunnerName, Map<String, String> newTags,
      String newIdempotencyKey, int newCapacityOption) {
    return new LaunchSpec(newRunnerName, labels, freshCredential, extraEnv, maxLifetime, idleTimeout, newTags,
        newIdempotencyKey, newCapacityOption);
  }

  @Override
  public String toString() {
    return "LaunchSpec[runnerName=" + runnerName + ", labels=" + labels + ", credential=" + credential
        + ", extraEnv=" + extraEnv.keySet() + ", maxLifetime=" + maxLifetime + ", idleTimeout=" + idleTimeout
        + ", tags=" + tags + ", idempotencyKey=" + idempotencyKey + ", capacityOption=" + capacityOption + "]";
  }
}
