package io.oneshot.spi;

import java.util.Optional;

/**
 * The exit codes of the oneshot runner image ({@code runner-image/entrypoint.sh}): why a runner
 * container ended. Backends read a stopped container's exit code and use {@link #meaning(int)} in the
 * reason they report and {@link #failureKind(int)} to classify it. The table for people is in
 * {@code runner-image/README.md}; a test keeps the script, this class and that table in step. Pure
 * functions: they never block and are idempotent.
 */
public final class RunnerExitCodes {
  /** The runner ran its job and exited. */
  public static final int JOB_DONE = 0;
  /** The runner (or the entrypoint) failed: run.sh exited non-zero on its own. */
  public static final int RUNNER_FAILED = 1;
  /** Token mode: {@code config.sh} could not register the runner (bad or expired token, URL, group). */
  public static final int REGISTRATION_FAILED = 3;
  /**
   * The runner exited without running a job: in JIT mode usually a refused or already used JIT
   * config, or a registration deleted while the runner was idle.
   */
  public static final int NO_JOB = 4;
  /** No job started within {@code ONESHOT_IDLE_TIMEOUT}; the entrypoint stopped the runner. */
  public static final int IDLE_TIMEOUT = 5;
  /** {@code ONESHOT_MAX_LIFETIME} was reached; the entrypoint stopped the runner, job or not. */
  public static final int MAX_LIFETIME = 6;
  /** The container's environment or the image is wrong; the log names each problem. */
  public static final int INVALID_SETUP = 64;
  /**
   * A sealed credential ({@code ONESHOT_SEALED_JITCONFIG} or {@code ONESHOT_SEALED_RUNNER_TOKEN}) could not be
   * opened: no {@code ONESHOT_SEAL_PRIVATE_KEY}, a key that does not match {@code seal-public-key}, a value
   * changed on the way, or no {@code openssl} in the image.
   */
  public static final int UNSEAL_FAILED = 65;
  /** Stopped by SIGHUP (128 + 1), forwarded to the runner. */
  public static final int SIGHUP = 129;
  /** Stopped by SIGINT (128 + 2), forwarded to the runner. */
  public static final int SIGINT = 130;
  /** Killed by SIGKILL (128 + 9): the platform's stop timeout passed, or the container ran out of memory. */
  public static final int SIGKILL = 137;
  /** Stopped by SIGTERM (128 + 15), the platform's stop, forwarded to the runner. */
  public static final int SIGTERM = 143;

  private RunnerExitCodes() {}

  /** What an exit code of the runner image means, in a few words; empty for a code it never uses. */
  public static Optional<String> meaning(int exitCode) {
    switch (exitCode) {
      case JOB_DONE:
        return Optional.of("the runner ran its job");
      case RUNNER_FAILED:
        return Optional.of("the runner failed");
      case REGISTRATION_FAILED:
        return Optional.of("registration failed (config.sh)");
      case NO_JOB:
        return Optional.of("the runner exited without a job (JIT config refused or registration deleted)");
      case IDLE_TIMEOUT:
        return Optional.of("idle timeout: no job started in time");
      case MAX_LIFETIME:
        return Optional.of("maximum lifetime reached");
      case INVALID_SETUP:
        return Optional.of("invalid container environment or image");
      case UNSEAL_FAILED:
        return Optional.of("the sealed credential could not be opened (missing or wrong ONESHOT_SEAL_PRIVATE_KEY)");
      case SIGHUP:
        return Optional.of("stopped by SIGHUP");
      case SIGINT:
        return Optional.of("stopped by SIGINT");
      case SIGKILL:
        return Optional.of("killed (stop timeout passed or out of memory)");
      case SIGTERM:
        return Optional.of("stopped by SIGTERM");
      default:
        return Optional.empty();
    }
  }

  /**
   * The failure kind of an exit code: empty for {@link #JOB_DONE}, {@link FailureKind#CONFIGURATION}
   * for {@link #INVALID_SETUP}, {@link #UNSEAL_FAILED} and {@link #REGISTRATION_FAILED} (retrying the
   * same setup cannot help), {@link FailureKind#EXITED} for every other code.
   */
  public static Optional<FailureKind> failureKind(int exitCode) {
    if (exitCode == JOB_DONE) {
      return Optional.empty();
    }
    if (exitCode == INVALID_SETUP || exitCode == UNSEAL_FAILED || exitCode == REGISTRATION_FAILED) {
      return Optional.of(FailureKind.CONFIGURATION);
    }
    return Optional.of(FailureKind.EXITED);
  }
}
