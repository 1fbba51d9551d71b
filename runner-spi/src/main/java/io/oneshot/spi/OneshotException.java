package io.oneshot.spi;

/**
 * The root of every exception oneshot throws: unchecked, with the cause kept, and a flag that says
 * whether trying the same thing again later may succeed. Messages say what was asked, what happened
 * and what to do, and never carry a secret.
 */
public class OneshotException extends RuntimeException {
  private final boolean retryable;

  public OneshotException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public OneshotException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether the same call may succeed if repeated later (throttling, capacity, a 5xx). */
  public boolean retryable() {
    return retryable;
  }
}
