package io.oneshot.github;

import io.oneshot.spi.OneshotException;
import java.util.Optional;

/**
 * A GitHub API call that failed for good (after the retries the policy allows). Carries the HTTP
 * status (0 when no answer came), GitHub's request id for support, and whether a rate limit was the
 * cause. The message names the operation and, for 401/403/404, the permission probably missing; it
 * never holds a credential.
 */
public final class GitHubApiException extends OneshotException {
  private final int status;
  private final String requestId;
  private final boolean rateLimited;

  public GitHubApiException(String message, int status, Optional<String> requestId, boolean rateLimited,
      boolean retryable, Throwable cause) {
    super(message + requestId.map(id -> " (x-github-request-id " + id + ")").orElse(""), retryable, cause);
    this.status = status;
    this.requestId = requestId.orElse(null);
    this.rateLimited = rateLimited;
  }

  /** The HTTP status, or 0 when no answer came (connection error). */
  public int status() {
    return status;
  }

  /** The {@code x-github-request-id} of the failing answer. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** Whether a primary or secondary rate limit caused it. */
  public boolean rateLimited() {
    return rateLimited;
  }
}
