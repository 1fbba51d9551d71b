package io.oneshot.scaleset;

import io.oneshot.spi.OneshotException;
import java.util.Optional;

/**
 * An Actions-service (scale-set) call that failed for good, after the retries the policy allows. Carries
 * the HTTP status (0 when no answer came), the service's exception {@code typeName} when it sent one, a
 * {@link Kind} derived from that type name (the service's errors are told apart by type name, not by
 * status), the {@code ActivityId} correlation header, and whether retrying later may help. The message
 * names the operation and quotes the service's own message; it never holds a token or a JIT config.
 */
public class ScaleSetException extends OneshotException {
  /** What went wrong, as far as the client can tell. */
  public enum Kind {
    /** {@code RunnerScaleSetSessionConflictException}: the scale set already has a live session. */
    SESSION_CONFLICT,
    /** {@code RunnerScaleSetNotFoundException}, or a 404 on a scale-set path: the scale set is gone. */
    SCALE_SET_NOT_FOUND,
    /** The session is gone (a 404 on refresh, {@code RunnerAdminException}): create a new one. */
    SESSION_NOT_FOUND,
    /** {@code AgentExistsException}: a runner with that name exists already. */
    RUNNER_EXISTS,
    /** {@code AgentNotFoundException}. */
    RUNNER_NOT_FOUND,
    /** {@code JobStillRunningException}: the runner is busy. */
    JOB_STILL_RUNNING,
    /** 401 even after a fresh token. */
    UNAUTHORIZED,
    /** Anything else: 5xx after retries, connection errors, unexpected answers, other 4xx. */
    OTHER
  }

  private final int status;
  private final Kind kind;
  private final String typeName;
  private final String activityId;

  public ScaleSetException(String message, int status, Kind kind, Optional<String> typeName,
      Optional<String> activityId, boolean retryable, Throwable cause) {
    super(message + activityId.map(id -> " (ActivityId " + id + ")").orElse(""), retryable, cause);
    this.status = status;
    this.kind = kind;
    this.typeName = typeName.orElse(null);
    this.activityId = activityId.orElse(null);
  }

  /** The HTTP status, 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The kind of failure. */
  public Kind kind() {
    return kind;
  }

  /** The service's exception type name, e.g. {@code GitHub.Actions.Runtime.WebApi.RunnerScaleSetNotFoundException}. */
  public Optional<String> typeName() {
    return Optional.ofNullable(typeName);
  }

  /** The {@code ActivityId} header of the failing answer, for GitHub support. */
  public Optional<String> activityId() {
    return Optional.ofNullable(activityId);
  }
}
