package io.oneshot.spi;

/**
 * The environment variable names of the runner image's contract ({@code runner-image/}); every
 * backend hands the container exactly these, so one image works on every cloud.
 */
public final class RunnerEnvironment {
  /** The JIT config; the runner reads and masks it itself. Secret. */
  public static final String JIT_CONFIG = "ACTIONS_RUNNER_INPUT_JITCONFIG";
  /** Token mode: the {@code config.sh --url} value. */
  public static final String RUNNER_URL = "RUNNER_URL";
  /** Token mode: the registration token. Secret. */
  public static final String RUNNER_TOKEN = "RUNNER_TOKEN";
  /** Token mode: the runner's name. */
  public static final String RUNNER_NAME = "RUNNER_NAME";
  /** Token mode: comma-separated labels. */
  public static final String RUNNER_LABELS = "RUNNER_LABELS";
  /** Token mode: the runner group name. */
  public static final String RUNNER_GROUP = "RUNNER_GROUP";
  /** Token mode: the work folder. */
  public static final String RUNNER_WORKDIR = "RUNNER_WORKDIR";
  /** How long the runner waits for a job before it exits, as ISO-8601 or {@code 90s}/{@code 10m}. */
  public static final String IDLE_TIMEOUT = "ONESHOT_IDLE_TIMEOUT";
  /** How long the container may live at most. */
  public static final String MAX_LIFETIME = "ONESHOT_MAX_LIFETIME";

  private RunnerEnvironment() {}

  /** Whether the variable of that name carries a secret and must be stored as one. */
  public static boolean isSecret(String name) {
    return JIT_CONFIG.equals(name) || RUNNER_TOKEN.equals(name);
  }
}
