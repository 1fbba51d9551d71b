package io.oneshot.action;

import io.oneshot.core.StartCancellation;
import java.time.Duration;

/**
 * Connects a cancel from outside (the CLI's JVM shutdown hook on SIGTERM or SIGINT, which GitHub sends
 * when a step is cancelled or times out) to the start in progress: {@link #cancelAndAwait} cancels it
 * and waits, bounded, until its cleanup is done. A cancel that comes before any start is remembered,
 * so a start that begins afterwards creates nothing. Thread-safe; idempotent.
 */
public final class CancelSignal {
  private StartCancellation current;
  private boolean cancelled;
  private Runnable onCancel;

  /**
   * Runs {@code action} when the signal comes (at once when it came already), for a command that is not a
   * start: {@code oneshot serve} stops its pool there. The action must not block for long.
   */
  public void onCancel(Runnable action) {
    boolean now;
    synchronized (this) {
      onCancel = action;
      now = cancelled;
    }
    if (now) {
      action.run();
    }
  }

  /** The token for the next start, already cancelled when the signal came first. */
  public synchronized StartCancellation nextStart() {
    current = new StartCancellation();
    if (cancelled) {
      current.cancel();
    }
    return current;
  }

  /**
   * Cancels the start in progress (and any later one) and blocks until its cleanup is done or the
   * timeout passes. Returns whether it finished in time (true when nothing was running).
   */
  public boolean cancelAndAwait(Duration timeout) throws InterruptedException {
    StartCancellation running;
    Runnable action;
    synchronized (this) {
      cancelled = true;
      running = current;
      action = onCancel;
    }
    if (action != null) {
      action.run();
    }
    return running == null || running.cancelAndAwait(timeout);
  }
}
