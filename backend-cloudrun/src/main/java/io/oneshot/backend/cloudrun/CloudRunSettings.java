package io.oneshot.backend.cloudrun;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.CredentialSealer;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Cloud Run backend's settings, parsed and checked all at once from the action's inputs (the names
 * below are the input names; {@link #DEFINITIONS} declares them). Values only; nothing here calls Google.
 *
 * @param project the Google Cloud project id (or number); from {@code GOOGLE_CLOUD_PROJECT} or
 *     {@code CLOUDSDK_CORE_PROJECT} when unset (google-github-actions/auth exports both)
 * @param region the Cloud Run region, for example {@code us-central1}
 * @param job the id of the existing Cloud Run job whose container is the runner image
 * @param container the runner's container in the job; empty to take the job's only container (always empty
 *     for stop, sweep and status, which do not read it)
 * @param endpoint {@code host:port} of another Cloud Run endpoint (a fake, a private endpoint)
 * @param plaintext whether to talk to {@code endpoint} without TLS and without credentials (a fake on loopback)
 * @param sealer from {@code seal-public-key}: seals each JIT config or registration token so that
 *     {@code run.executions.get} shows only ciphertext; empty: the credential goes in plain (docs/sealed-jit.md);
 *     always empty for stop, sweep and status
 */
public record CloudRunSettings(String project, String region, String job, Optional<String> container,
    Optional<String> endpoint, boolean plaintext, Optional<CredentialSealer> sealer) {

  static final String PROJECT = "project";
  static final String REGION = "region";
  static final String JOB = "job";
  static final String CONTAINER = "container";
  static final String ENDPOINT = "endpoint";
  static final String PLAINTEXT = "plaintext";
  static final String SEAL_PUBLIC_KEY = "seal-public-key";

  /** Every setting the Cloud Run backend reads, as {@link CloudRunLauncherProvider#settings()} declares them. */
  static final List<SettingDefinition> DEFINITIONS = List.of(
      SettingDefinition.forEveryMode(PROJECT, null,
          "Google Cloud project id; empty: GOOGLE_CLOUD_PROJECT or CLOUDSDK_CORE_PROJECT (google-github-actions/auth)"),
      SettingDefinition.forEveryMode(REGION, null, "the job's Cloud Run region, e.g. europe-west1"),
      SettingDefinition.forEveryMode(JOB, null, "name of the existing Cloud Run job whose executions are the runners"),
      SettingDefinition.forStart(CONTAINER, null, "the runner's container in the job; empty: the job's only container"),
      SettingDefinition.forStart(SEAL_PUBLIC_KEY, null,
          "PEM RSA public key (2048 bits or more) to seal each JIT config or token to, so run.executions.get shows"
              + " only ciphertext; the job injects the private key as ONESHOT_SEAL_PRIVATE_KEY from Secret Manager"
              + " (--set-secrets, docs/sealed-jit.md); required for registration: token"),
      SettingDefinition.forEveryMode(ENDPOINT, null, "Cloud Run endpoint HOST:PORT (a local fake, a private endpoint)")
          .libraryOnly(),
      SettingDefinition.forEveryMode(PLAINTEXT, "false", "talk to endpoint without TLS or credentials (a local fake)")
          .libraryOnly());

  private static final Pattern PROJECT_PATTERN = Pattern.compile(
      "([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|\\d{1,19}");
  private static final Pattern REGION_PATTERN = Pattern.compile("[a-z]+(-[a-z]+)+\\d{1,2}");
  private static final Pattern JOB_PATTERN = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern CONTAINER_PATTERN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ENDPOINT_PATTERN = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})");

  /** The job's full resource name, {@code projects/P/locations/R/jobs/J}. */
  public String jobName() {
    return "projects/" + project + "/locations/" + region + "/jobs/" + job;
  }

  /**
   * Reads and checks every setting the settings' purpose needs: all of them to launch; project, region, job,
   * endpoint and plaintext for stop, sweep and status ({@code container} is then neither read nor checked).
   *
   * @param environment the process environment, for the project fallbacks
   * @throws InvalidSettingsException listing every problem, each tied to its input and naming the accepted form
   */
  public static CloudRunSettings parse(BackendSettings settings, Map<String, String> environment) {
    SettingProblems problems = new SettingProblems();
    Optional<String> projectSource = settings.get(PROJECT).isPresent() ? Optional.empty()
        : Stream.of("GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT")
            .filter(name -> nonBlank(environment.get(name)).isPresent()).findFirst();
    String project = settings.get(PROJECT).or(() -> projectSource.flatMap(name -> nonBlank(environment.get(name))))
        .orElse(null);
    if (project == null) {
      problems.add(PROJECT, "project is not set; give the Google Cloud project id (for example my-project-123), or"
          + " let google-github-actions/auth export GOOGLE_CLOUD_PROJECT");
    } else if (!PROJECT_PATTERN.matcher(project).matches()) {
      problems.add(PROJECT, "project '" + project + "'" + projectSource.map(name -> " (from " + name + ", its default)")
          .orElse("") + " is not a project id; use 6 to 30 lower-case letters, digits and hyphens starting with a"
          + " letter, for example my-project-123");
    }
    String region = settings.get(REGION).orElse(null);
    if (region == null) {
      problems.add(REGION, "region is not set; give the job's Cloud Run region, for example us-central1");
    } else if (!REGION_PATTERN.matcher(region).matches()) {
      problems.add(REGION, "region '" + region + "' is not a Cloud Run region; use a name such as us-central1 or"
          + " europe-west1");
    }
    String job = settings.get(JOB).orElse(null);
    if (job == null) {
      problems.add(JOB, "job is not set; give the name of the Cloud Run job that runs the runner image, for example"
          + " gh-runner");
    } else if (job.contains("/")) {
      problems.add(JOB, "job '" + job + "' is a resource path; give only the job's name (the part after /jobs/),"
          + " with project and region as their own inputs");
    } else if (!JOB_PATTERN.matcher(job).matches()) {
      problems.add(JOB, "job '" + job + "' is not a Cloud Run job name; use up to 63 lower-case letters, digits and"
          + " hyphens, starting with a letter");
    }
    Optional<String> container = settings.purpose() == LauncherPurpose.START ? settings.get(CONTAINER)
        : Optional.empty();
    container.filter(c -> !CONTAINER_PATTERN.matcher(c).matches()).ifPresent(c -> problems.add(CONTAINER,
        "container '" + c + "' is not a container name; use the name of one of the job's containers (lower-case"
            + " letters, digits, hyphens)"));
    Optional<String> endpoint = settings.get(ENDPOINT);
    endpoint.ifPresent(e -> {
      var m = ENDPOINT_PATTERN.matcher(e);
      if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
        problems.add(ENDPOINT, "endpoint '" + e + "' is not HOST:PORT; use for example 127.0.0.1:8085 (no scheme,"
            + " no path)");
      }
    });
    String plaintextText = settings.getOrDefault(PLAINTEXT, "false").toLowerCase(Locale.ROOT);
    if (!plaintextText.equals("true") && !plaintextText.equals("false")) {
      problems.add(PLAINTEXT, "plaintext '" + plaintextText + "' is not a boolean; use true or false");
    }
    boolean plaintext = plaintextText.equals("true");
    if (plaintext && endpoint.isEmpty()) {
      problems.add(PLAINTEXT, "plaintext is true but endpoint is not set; plaintext applies only to an endpoint such"
          + " as a local fake (HOST:PORT)");
    }
    Optional<CredentialSealer> sealer = Optional.empty();
    Optional<String> pem = settings.purpose() == LauncherPurpose.START ? settings.get(SEAL_PUBLIC_KEY) : Optional.empty();
    if (pem.isPresent()) {
      try {
        sealer = Optional.of(CredentialSealer.fromPem(pem.get()));
      } catch (IllegalArgumentException e) {
        problems.add(SEAL_PUBLIC_KEY, "seal-public-key: " + e.getMessage());
      }
    }
    problems.throwIfAny();
    return new CloudRunSettings(project, region, job, container, endpoint, plaintext, sealer);
  }

  /**
   * A typed builder for embedding code, checked by the same rules as {@link #parse} (the same problems, tied to
   * the same setting names). It reads no environment: give the project. Does not block.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link CloudRunSettings} from typed values. Not thread-safe; every setter returns this builder. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder() {}

    private Builder put(String name, Object value) {
      if (value == null) {
        values.remove(name);
      } else {
        values.put(name, value.toString());
      }
      return this;
    }

    /** The Google Cloud project id. Required. */
    public Builder project(String project) {
      return put(PROJECT, project);
    }

    /** The job's Cloud Run region, such as {@code us-central1}. Required. */
    public Builder region(String region) {
      return put(REGION, region);
    }

    /** The name of the existing Cloud Run job whose executions are the runners. Required. */
    public Builder job(String job) {
      return put(JOB, job);
    }

    /** The runner's container in the job; unset: the job's only container. */
    public Builder container(String container) {
      return put(CONTAINER, container);
    }

    /**
     * The PEM RSA public key ({@code -----BEGIN PUBLIC KEY-----}, 2048 bits or more) to seal each JIT config or
     * registration token to; the job must inject the private key as {@code ONESHOT_SEAL_PRIVATE_KEY}.
     */
    public Builder sealPublicKey(String pem) {
      return put(SEAL_PUBLIC_KEY, pem);
    }

    /**
     * {@code HOST:PORT} of another endpoint (a private endpoint, a local fake) for the clients the launcher
     * builder creates; not applied to clients you pass in.
     */
    public Builder endpoint(String endpoint) {
      return put(ENDPOINT, endpoint);
    }

    /** Whether to talk to {@link #endpoint} without TLS and without credentials (a fake on loopback). */
    public Builder plaintext(boolean plaintext) {
      return put(PLAINTEXT, plaintext);
    }

    /**
     * Checks every value a launch needs at once. Does not block; calls nothing.
     *
     * @throws InvalidSettingsException listing every problem, each tied to its setting name (as {@link #parse})
     */
    public CloudRunSettings build() {
      return parse(new BackendSettings(values, Clock.systemUTC(), LauncherPurpose.START), Map.of());
    }

    /**
     * Checks only what stop, sweep and status need (project, region, job, endpoint, plaintext; the container is
     * dropped). Does not block.
     *
     * @throws InvalidSettingsException listing every problem, each tied to its setting name
     */
    public CloudRunSettings buildForManage() {
      return parse(new BackendSettings(values, Clock.systemUTC(), LauncherPurpose.MANAGE), Map.of());
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
