package io.oneshot.spi;

/**
 * Thrown by {@link RunnerLauncher#launch} when the backend refused to start the container (for
 * example an ECS RunTask answer with {@code failures[]}). Carries the portable {@link FailureKind}
 * and the backend's own reason; retryable exactly when the kind is.
 */
public final class LaunchFailedException extends OneshotException {
  private final FailureKind kind;
  private final String backendReason;

  public LaunchFailedException(FailureKind kind, String backendReason, String message) {
    super(message, kind.retryable());
    this.kind = kind;
    this.backendReason = backendReason;
  }

  public LaunchFailedException(FailureKind kind, String backendReason, String message, Throwable cause) {
    super(message, kind.retryable(), cause);
    this.kind = kind;
    this.backendReason = backendReason;
  }

  public FailureKind kind() {
    return kind;
  }

  /** The backend's raw reason string, for example {@code RESOURCE:MEMORY}. */
  public String backendReason() {
    return backendReason;
  }
}
