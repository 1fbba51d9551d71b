package io.oneshot.backend.aci;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.OneshotException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ARM errors into oneshot's: the portable failure kind from the ARM error code (capacity and SKU
 * errors and quotas → CAPACITY, inaccessible images → IMAGE_PULL, {@code AuthorizationFailed} →
 * PERMISSION, 429 → THROTTLED, other 4xx → CONFIGURATION), the code and ARM's message kept, the
 * missing action or the exhausted quota named. Messages use ARM's error code and message only, never
 * the request. Stateless.
 */
final class AciErrors {
  private static final Pattern QUOTA = Pattern.compile("quota '([^']+)' exceeded in region '([^']+)'\\. Limit: '(\\d+)'");

  private AciErrors() {}

  /** ARM's error code, or the HTTP status when the answer had none. */
  static String code(HttpResponseException e) {
    Optional<ManagementError> error = error(e);
    return error.map(ManagementError::getCode).filter(c -> !c.isBlank()).orElse("HTTP " + status(e));
  }

  static String message(HttpResponseException e) {
    return error(e).map(ManagementError::getMessage).orElse("");
  }

  static int status(HttpResponseException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
  }

  private static Optional<ManagementError> error(HttpResponseException e) {
    return e instanceof ManagementException management ? Optional.ofNullable(management.getValue())
        : Optional.empty();
  }

  static FailureKind kind(HttpResponseException e) {
    String code = code(e);
    String text = (code + " " + message(e)).toLowerCase(Locale.ROOT);
    int status = status(e);
    if (status == 429) {
      return FailureKind.THROTTLED;
    }
    if (status == 401 || status == 403 || code.startsWith("Authorization") || code.startsWith("LinkedAuthorization")
        || code.startsWith("AuthenticationFailed") || code.startsWith("InvalidAuthenticationToken")) {
      return FailureKind.PERMISSION;
    }
    if (code.equals("InaccessibleImage") || code.contains("ImagePull") || code.equals("RegistryErrorResponse")) {
      return FailureKind.IMAGE_PULL;
    }
    if (isCapacityText(text)) {
      return FailureKind.CAPACITY;
    }
    if (status >= 400 && status < 500 && status != 409 && status != 408) {
      return FailureKind.CONFIGURATION;
    }
    return FailureKind.UNKNOWN;
  }

  /** Words ARM and ACI use when there is no capacity or quota left (code or message, lower case). */
  static boolean isCapacityText(String lowerCase) {
    return lowerCase.contains("skunotavailable") || lowerCase.contains("insufficientcapacity")
        || lowerCase.contains("not available in the location") || lowerCase.contains("quotareached")
        || lowerCase.contains("quota") && lowerCase.contains("exceeded") || lowerCase.contains("spot capacity")
        || lowerCase.contains("evicted");
  }

  /** Whether repeating the call later may work: throttling, conflicts, 5xx, no answer at all. */
  static boolean retryable(HttpResponseException e) {
    int status = status(e);
    return status == 0 || status == 408 || status == 409 || status == 429 || status >= 500
        || kind(e) == FailureKind.CAPACITY;
  }

  static LaunchFailedException launchFailure(String action, HttpResponseException e) {
    return new LaunchFailedException(kind(e), code(e), describe(action, e), e);
  }

  static OneshotException callFailure(String action, HttpResponseException e) {
    return new OneshotException(describe(action, e), retryable(e), e);
  }

  /** A failure without an HTTP answer (connection refused or reset, TLS, timeout): retryable. */
  static OneshotException transportFailure(String action, RuntimeException e) {
    return new OneshotException(transportMessage(action, e), true, e);
  }

  /** A launch whose call got no HTTP answer: THROTTLED, which core retries. */
  static LaunchFailedException transportLaunchFailure(String action, RuntimeException e) {
    return new LaunchFailedException(FailureKind.THROTTLED, rootName(e), transportMessage(action, e), e);
  }

  private static String transportMessage(String action, RuntimeException e) {
    Throwable root = root(e);
    return action + " failed without an answer from Azure Resource Manager: " + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()))
        + "; check the network to Azure and try again";
  }

  /** The innermost cause: reactor wraps the I/O error that says what happened. */
  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String rootName(Throwable e) {
    return root(e).getClass().getSimpleName();
  }

  private static String describe(String action, HttpResponseException e) {
    String what = action + " failed: " + code(e) + (message(e).isEmpty() ? "" : ": " + message(e));
    FailureKind kind = kind(e);
    if (kind == FailureKind.PERMISSION) {
      return what + "; grant " + action + " to the identity oneshot runs as (see the minimal role in docs/azure/aci-role.json)";
    }
    if (kind == FailureKind.THROTTLED) {
      return what + "; Azure Resource Manager throttled the call after the SDK's retries, try fewer runners at once";
    }
    Matcher quota = QUOTA.matcher(message(e));
    if (quota.find()) {
      return what + "; the ACI quota '" + quota.group(1) + "' in " + quota.group(2) + " (limit " + quota.group(3)
          + ") is used up: start fewer or smaller runners, or ask Azure for a higher quota";
    }
    return what;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
