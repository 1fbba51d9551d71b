package io.oneshot.scaleset;

import java.util.Optional;

/**
 * The scale set already has an active message session (409 {@code RunnerScaleSetSessionConflictException}):
 * another listener holds it, or a crashed one did not delete it and the service has not expired it yet
 * (how long that takes is undocumented). Retryable: a standby tries again later with backoff.
 */
public final class SessionConflictException extends ScaleSetException {
  public SessionConflictException(String message, int status, Optional<String> typeName,
      Optional<String> activityId) {
    super(message, status, Kind.SESSION_CONFLICT, typeName, activityId, true, null);
  }
}
