package io.oneshot.backend.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.OneshotException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns gax/gRPC exceptions from the Cloud Run clients into oneshot's: the portable failure kind from the
 * gRPC status (and the {@code google.rpc.ErrorInfo} reason where Google sends one), the status and message
 * kept, the IAM permission named when one is missing. Stateless.
 */
final class CloudRunErrors {
  /** The IAM permission each RPC needs. */
  static final Map<String, String> PERMISSIONS = Map.of(
      "GetJob", "run.jobs.get",
      "RunJob", "run.jobs.runWithOverrides",
      "GetExecution", "run.executions.get",
      "ListExecutions", "run.executions.list",
      "CancelExecution", "run.executions.cancel",
      "ListTasks", "run.tasks.list");
  private static final Pattern PERMISSION_IN_MESSAGE = Pattern.compile("Permission '([a-zA-Z.]+)' denied");

  private CloudRunErrors() {}

  static StatusCode.Code code(ApiException e) {
    return e.getStatusCode().getCode();
  }

  static FailureKind kind(ApiException e) {
    switch (code(e)) {
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
        return FailureKind.PERMISSION;
      case RESOURCE_EXHAUSTED:
        return isRateLimit(e) ? FailureKind.THROTTLED : FailureKind.CAPACITY;
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case ABORTED:
      case INTERNAL:
        // No (complete) answer, or a transient failure on Google's side: the same call may work later.
        return FailureKind.THROTTLED;
      case NOT_FOUND:
      case INVALID_ARGUMENT:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
      case ALREADY_EXISTS:
        return FailureKind.CONFIGURATION;
      default:
        return FailureKind.UNKNOWN;
    }
  }

  /** Whether the same call may work later: quota, unavailability, deadlines and server errors. */
  static boolean retryable(ApiException e) {
    switch (code(e)) {
      case RESOURCE_EXHAUSTED:
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case INTERNAL:
      case ABORTED:
        return true;
      default:
        return e.isRetryable();
    }
  }

  /** A per-minute request quota rather than a resource quota. */
  static boolean isRateLimit(ApiException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return "RATE_LIMIT_EXCEEDED".equals(e.getReason()) || message.contains("per minute")
        || message.contains("rate limit");
  }

  /** The permission the error names, else the one the RPC needs. */
  static String permission(String rpc, ApiException e) {
    String fromDetails = e.getMetadata() == null ? null : e.getMetadata().get("permission");
    if (fromDetails != null && !fromDetails.isBlank()) {
      return fromDetails;
    }
    Matcher m = PERMISSION_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
    return m.find() ? m.group(1) : PERMISSIONS.getOrDefault(rpc, "run." + rpc);
  }

  /** A launch refusal with the failure kind, and the permission when one is missing. */
  static LaunchFailedException launchFailure(String rpc, String resource, ApiException e) {
    return new LaunchFailedException(kind(e), code(e).name(), describe(rpc, resource, e), e);
  }

  /** A launch whose call failed below gRPC (an I/O error the client did not turn into a status): retryable. */
  static LaunchFailedException transportLaunchFailure(String rpc, String resource, UncheckedIOException e) {
    return new LaunchFailedException(FailureKind.THROTTLED, "IOException", transportMessage(rpc, resource, e), e);
  }

  /** Another call that failed below gRPC: retryable. */
  static OneshotException transportFailure(String rpc, String resource, UncheckedIOException e) {
    return new OneshotException(transportMessage(rpc, resource, e), true, e);
  }

  private static String transportMessage(String rpc, String resource, UncheckedIOException e) {
    return "Cloud Run " + rpc + " on " + resource + " failed without an answer: " + e.getMessage()
        + "; check the network to Cloud Run and try again";
  }

  /** A failure of a call other than the launch; retryable when the error is. */
  static OneshotException callFailure(String rpc, String resource, ApiException e) {
    return new OneshotException(describe(rpc, resource, e), retryable(e), e);
  }

  static String describe(String rpc, String resource, ApiException e) {
    String what = "Cloud Run " + rpc + " on " + resource + " failed: " + code(e).name() + ": " + message(e);
    switch (kind(e)) {
      case PERMISSION:
        return code(e) == StatusCode.Code.UNAUTHENTICATED
            ? what + "; the credentials were refused: check the google-github-actions/auth step (Workload Identity"
                + " Federation) or GOOGLE_APPLICATION_CREDENTIALS"
            : what + "; grant " + permission(rpc, e) + " on the job to the service account oneshot authenticates as"
                + " (the minimal role is in docs/gcp/oneshot-runner-role.yaml)";
      case THROTTLED:
        return what + "; Cloud Run is throttling, unavailable or did not answer in time even after the client's"
            + " retries with backoff; launch fewer runners at once or try again later";
      case CAPACITY:
        return what + "; a Cloud Run quota is exhausted (CPU, memory or concurrent executions in the region);"
            + " try again later or raise the quota";
      default:
        return what;
    }
  }

  private static String message(ApiException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    // gax prefixes the status: "io.grpc.StatusRuntimeException: CODE: text"
    int colon = message.indexOf(code(e).name() + ": ");
    return colon >= 0 ? message.substring(colon + code(e).name().length() + 2) : message;
  }
}
