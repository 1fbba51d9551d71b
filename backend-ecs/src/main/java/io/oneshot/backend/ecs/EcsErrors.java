package io.oneshot.backend.ecs;

import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.OneshotException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import java.io.IOException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK exceptions into oneshot's: the portable failure kind, the AWS error code and message
 * kept, the IAM action named when permission is missing. Stateless.
 */
final class EcsErrors {
  private EcsErrors() {}

  /** The AWS error code, or the exception's class name when there is none (network errors). */
  static String code(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  static FailureKind kind(SdkException e) {
    String code = code(e);
    if (e instanceof AwsServiceException service && (service.isThrottlingException() || service.statusCode() >= 500)) {
      return FailureKind.THROTTLED;
    }
    if (isTransport(e)) {
      return FailureKind.THROTTLED;
    }
    if (code.equals("AccessDeniedException") || code.equals("UnauthorizedOperation")
        || code.equals("AuthFailure") || code.equals("UnrecognizedClientException")) {
      return FailureKind.PERMISSION;
    }
    if (code.endsWith("NotFoundException") || code.equals("ClientException") || code.equals("InvalidParameterException")
        || code.startsWith("Platform") || code.equals("ConflictException") || code.equals("UnsupportedFeatureException")
        || code.equals("BlockedException") || code.startsWith("Invalid")) {
      return FailureKind.CONFIGURATION;
    }
    return FailureKind.UNKNOWN;
  }

  /** Whether the same call may work later: throttling, 5xx and connection errors. */
  static boolean retryable(SdkException e) {
    if (e instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500;
    }
    return isTransport(e);
  }

  /**
   * Whether the call got no answer from AWS: a connection refused, reset or closed early, or a timeout (the
   * SDK wraps these in an {@link SdkClientException} caused by an {@link IOException}, or answers with its own
   * timeout exceptions). Other client-side errors, such as no credentials, are not transient.
   */
  static boolean isTransport(SdkException e) {
    if (e instanceof AwsServiceException) {
      return false;
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** A launch refusal with the failure kind and the IAM action when permission is missing. */
  static LaunchFailedException launchFailure(String action, SdkException e) {
    FailureKind kind = kind(e);
    return new LaunchFailedException(kind, code(e), describe(action, e), e);
  }

  /** A failure of a call other than the launch; retryable when the error is. */
  static OneshotException callFailure(String action, SdkException e) {
    return new OneshotException(describe(action, e), retryable(e), e);
  }

  private static String describe(String action, SdkException e) {
    String message = e instanceof AwsServiceException service && service.awsErrorDetails() != null
        ? service.awsErrorDetails().errorMessage() : e.getMessage();
    String what = action + " failed: " + code(e) + (message == null ? "" : ": " + message);
    if (kind(e) == FailureKind.PERMISSION) {
      return what + "; grant " + action + " to the role oneshot runs as (see docs/aws/iam-policy.json)";
    }
    if (isTransport(e)) {
      return what + "; no answer from AWS even after the SDK's retries (connection reset or closed, timeout):"
          + " check the network to AWS and try again";
    }
    if (kind(e) == FailureKind.THROTTLED) {
      return what + "; AWS throttled the call or failed on its side after the SDK's retries, try fewer runners at"
          + " once or try again later";
    }
    return what;
  }
}
