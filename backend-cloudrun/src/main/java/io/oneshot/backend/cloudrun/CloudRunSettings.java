package io.oneshot.backend.cloudrun;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Cloud Run backend's settings, parsed and checked all at once from the action's inputs (the names
 * below are the input names). Values only; nothing here calls Google.
 *
 * @param project the Google Cloud project id (or number); from {@code GOOGLE_CLOUD_PROJECT} or
 *     {@code CLOUDSDK_CORE_PROJECT} when unset (google-github-actions/auth exports both)
 * @param region the Cloud Run region, for example {@code us-central1}
 * @param job the id of the existing Cloud Run job whose container is the runner image
 * @param container the runner's container in the job; empty to take the job's only container
 * @param endpoint {@code host:port} of another Cloud Run endpoint (a fake, a private endpoint)
 * @param plaintext whether to talk to {@code endpoint} without TLS and without credentials (a fake on loopback)
 */
public record CloudRunSettings(String project, String region, String job, Optional<String> container,
    Optional<String> endpoint, boolean plaintext) {

  private static final Pattern PROJECT = Pattern.compile(
      "([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|\\d{1,19}");
  private static final Pattern REGION = Pattern.compile("[a-z]+(-[a-z]+)+\\d{1,2}");
  private static final Pattern JOB = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern CONTAINER = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ENDPOINT = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})");

  /** The job's full resource name, {@code projects/P/locations/R/jobs/J}. */
  public String jobName() {
    return "projects/" + project + "/locations/" + region + "/jobs/" + job;
  }

  /**
   * Reads and checks every setting.
   *
   * @param environment the process environment, for the project fallbacks
   * @throws InvalidSettingsException listing every problem, each naming the input and the accepted form
   */
  public static CloudRunSettings parse(BackendSettings settings, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    String project = settings.get("project").or(() -> nonBlank(environment.get("GOOGLE_CLOUD_PROJECT")))
        .or(() -> nonBlank(environment.get("CLOUDSDK_CORE_PROJECT"))).orElse(null);
    if (project == null) {
      problems.add("project is not set; give the Google Cloud project id (for example my-project-123), or let"
          + " google-github-actions/auth export GOOGLE_CLOUD_PROJECT");
    } else if (!PROJECT.matcher(project).matches()) {
      problems.add("project '" + project + "' is not a project id; use 6 to 30 lower-case letters, digits and"
          + " hyphens starting with a letter, for example my-project-123");
    }
    String region = settings.get("region").orElse(null);
    if (region == null) {
      problems.add("region is not set; give the job's Cloud Run region, for example us-central1");
    } else if (!REGION.matcher(region).matches()) {
      problems.add("region '" + region + "' is not a Cloud Run region; use a name such as us-central1 or"
          + " europe-west1");
    }
    String job = settings.get("job").orElse(null);
    if (job == null) {
      problems.add("job is not set; give the name of the Cloud Run job that runs the runner image, for example"
          + " gh-runner");
    } else if (job.contains("/")) {
      problems.add("job '" + job + "' is a resource path; give only the job's name (the part after /jobs/),"
          + " with project and region as their own inputs");
    } else if (!JOB.matcher(job).matches()) {
      problems.add("job '" + job + "' is not a Cloud Run job name; use up to 63 lower-case letters, digits and"
          + " hyphens, starting with a letter");
    }
    Optional<String> container = settings.get("container");
    container.filter(c -> !CONTAINER.matcher(c).matches()).ifPresent(c -> problems.add("container '" + c
        + "' is not a container name; use the name of one of the job's containers (lower-case letters, digits,"
        + " hyphens)"));
    Optional<String> endpoint = settings.get("endpoint");
    endpoint.ifPresent(e -> {
      var m = ENDPOINT.matcher(e);
      if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
        problems.add("endpoint '" + e + "' is not HOST:PORT; use for example 127.0.0.1:8085 (no scheme, no path)");
      }
    });
    String plaintextText = settings.getOrDefault("plaintext", "false").toLowerCase(Locale.ROOT);
    if (!plaintextText.equals("true") && !plaintextText.equals("false")) {
      problems.add("plaintext '" + plaintextText + "' is not a boolean; use true or false");
    }
    boolean plaintext = plaintextText.equals("true");
    if (plaintext && endpoint.isEmpty()) {
      problems.add("plaintext is true but endpoint is not set; plaintext applies only to an endpoint such as a"
          + " local fake (HOST:PORT)");
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return new CloudRunSettings(project, region, job, container, endpoint, plaintext);
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
