package io.oneshot.spi;

/**
 * Why a container failed, in portable terms; backends map their structured codes (ECS
 * {@code stopCode}, ARM error codes, gRPC status) onto these and keep the raw string beside.
 */
public enum FailureKind {
  /** No capacity of the requested kind (Spot reclaimed, no Fargate capacity, SKU unavailable, quota). */
  CAPACITY(true),
  /** The image could not be pulled (wrong name, no access to the registry). */
  IMAGE_PULL(false),
  /** The request or the platform's configuration is wrong (bad subnet, missing task role). */
  CONFIGURATION(false),
  /** The caller lacks a cloud permission. */
  PERMISSION(false),
  /** The cloud API throttled us. */
  THROTTLED(true),
  /** The container started and then exited on its own. */
  EXITED(false),
  /** Nothing above fits; the raw reason says more. */
  UNKNOWN(false);

  private final boolean retryable;

  FailureKind(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether launching a replacement (with the next capacity option) may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
