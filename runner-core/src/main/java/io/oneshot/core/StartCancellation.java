package io.oneshot.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets another thread cancel one {@link RunnerFleet#start(FleetRequest, StartCancellation)}, for
 * example a JVM shutdown hook on SIGTERM: the start stops waiting at once (the thread running it is
 * interrupted), launches nothing new, cleans up what the batch created within
 * {@link FleetOptions#cancelBudget()} and throws {@link StartCancelledException}. One token serves
 * one start. Thread-safe; {@link #cancel()} never blocks and is idempotent.
 */
public final class StartCancellation {
  private final CountDownLatch finished = new CountDownLatch(1);
  private boolean cancelled;
  private boolean used;
  private Runnable onCancel;

  /**
   * Asks the start to stop and clean up; returns at once. Before the start begins, the start will
   * throw {@link StartCancelledException} without creating anything; after it has returned, nothing
   * happens. Idempotent.
   */
  public void cancel() {
    Runnable action;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      action = onCancel;
    }
    if (action != null) {
      action.run();
    }
  }

  /**
   * {@link #cancel()}, then blocks until the start using this token has finished cleaning up (or has
   * returned), at most {@code timeout}. What a shutdown hook calls: the JVM exits when the hook returns.
   *
   * @return whether the start had finished (true too when it never began)
   */
  public boolean cancelAndAwait(Duration timeout) throws InterruptedException {
    cancel();
    synchronized (this) {
      if (!used) {
        return true;
      }
    }
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Whether {@link #cancel()} was called. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Binds the token to a start; {@code action} runs (on the cancelling thread) when it is cancelled.
   *
   * @return false when the token was cancelled already (the start must not begin)
   */
  synchronized boolean begin(Runnable action) {
    if (used) {
      throw new IllegalStateException("a StartCancellation serves one start; make a new one per start");
    }
    used = true;
    if (cancelled) {
      return false;
    }
    onCancel = action;
    return true;
  }

  /** Detaches from the start unless it was cancelled: a later cancel then changes nothing. */
  synchronized boolean completeUnlessCancelled() {
    if (cancelled) {
      return false;
    }
    onCancel = null;
    return true;
  }

  /** The start has finished (returned or thrown, cleanup done). */
  void finished() {
    synchronized (this) {
      onCancel = null;
    }
    finished.countDown();
  }
}
