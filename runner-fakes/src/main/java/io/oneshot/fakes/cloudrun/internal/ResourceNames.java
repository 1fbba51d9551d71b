package io.oneshot.fakes.cloudrun.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Cloud Run v2 resource names ({@code projects/P/locations/L/jobs/J[/executions/E]}) and answers
 * the errors the API gives for malformed or foreign ones. Stateless.
 */
public final class ResourceNames {
  private static final Pattern JOB = Pattern.compile("projects/([^/]+)/locations/([^/]+)/jobs/([^/]+)");
  private static final Pattern EXECUTION = Pattern.compile(
      "projects/([^/]+)/locations/([^/]+)/jobs/([^/]+)/executions/([^/]+)");
  private static final Pattern OPERATION = Pattern.compile("projects/([^/]+)/locations/([^/]+)/operations/([^/]+)");

  /** A parsed job or execution name; {@code execution} is empty for a job. */
  public record Parsed(String project, String location, String job, Optional<String> execution) {}

  private ResourceNames() {}

  /** The job name, or INVALID_ARGUMENT. */
  public static Parsed job(String field, String name) {
    Matcher m = JOB.matcher(name);
    if (!m.matches()) {
      throw RpcFailure.invalidArgument("Invalid value for field '" + field + "': '" + name + "'. Expected the form"
          + " projects/{project}/locations/{location}/jobs/{job}.");
    }
    return new Parsed(m.group(1), m.group(2), m.group(3), Optional.empty());
  }

  /** The execution name, or INVALID_ARGUMENT. */
  public static Parsed execution(String field, String name) {
    Matcher m = EXECUTION.matcher(name);
    if (!m.matches()) {
      throw RpcFailure.invalidArgument("Invalid value for field '" + field + "': '" + name + "'. Expected the form"
          + " projects/{project}/locations/{location}/jobs/{job}/executions/{execution}.");
    }
    return new Parsed(m.group(1), m.group(2), m.group(3), Optional.of(m.group(4)));
  }

  /** Whether the text is an operation name. */
  public static boolean isOperation(String name) {
    return OPERATION.matcher(name).matches();
  }
}
