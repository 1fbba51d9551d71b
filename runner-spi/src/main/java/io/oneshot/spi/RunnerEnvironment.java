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
  /**
   * The JIT config sealed with {@link CredentialSealer} (base64 DER CMS), in place of {@link #JIT_CONFIG}; the
   * entrypoint opens it with {@link #SEAL_PRIVATE_KEY}. Not secret: only the private key opens it.
   */
  public static final String SEALED_JIT_CONFIG = "ONESHOT_SEALED_JITCONFIG";
  /** Token mode: the registration token sealed with {@link CredentialSealer}, in place of {@link #RUNNER_TOKEN}. */
  public static final String SEALED_RUNNER_TOKEN = "ONESHOT_SEALED_RUNNER_TOKEN";
  /**
   * The PEM private key that opens sealed credentials. Never set by a launcher: the platform injects it from its
   * secret store (an ECS task definition {@code secrets} entry, a Cloud Run job {@code --set-secrets}). Secret.
   */
  public static final String SEAL_PRIVATE_KEY = "ONESHOT_SEAL_PRIVATE_KEY";
  /**
   * The repository ({@code owner/repo}) whose jobs this runner may run; the job-started hook fails a job of
   * any other repository. Unset: not checked. Carried in {@link LaunchSpec#extraEnv()}.
   */
  public static final String BOUND_REPOSITORY = "ONESHOT_BOUND_REPOSITORY";
  /**
   * The workflow run id whose jobs this runner may run; the job-started hook fails a job of any other run.
   * Unset: not checked. Carried in {@link LaunchSpec#extraEnv()}.
   */
  public static final String BOUND_RUN_ID = "ONESHOT_BOUND_RUN_ID";
  /** {@code off} turns the job-started hook's repository and run check off. */
  public static final String RUN_BINDING = "ONESHOT_RUN_BINDING";

  private RunnerEnvironment() {}

  /** Whether the variable of that name carries a secret and must be stored as one. */
  public static boolean isSecret(String name) {
    return JIT_CONFIG.equals(name) || RUNNER_TOKEN.equals(name) || SEAL_PRIVATE_KEY.equals(name);
  }
}
