package io.oneshot.core;

import io.oneshot.spi.OneshotException;
import java.util.List;
import java.util.Objects;

/**
 * Thrown by {@link RunnerFleet#start} when it was cancelled ({@link StartCancellation}) or its thread
 * was interrupted: carries the batch label and what the cleanup did to each runner the batch had
 * created (deregistered and terminated, left busy, not finished within the budget). Not retryable.
 */
public final class StartCancelledException extends OneshotException {
  private final transient StopReport cleanup;

  public StartCancelledException(StopReport cleanup) {
    super("start of batch " + cleanup.batchLabel() + " cancelled; " + cleanup.summary(), false);
    this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
  }

  /** The batch label (the {@code runner_id} output), chosen before anything was created. */
  public String batchLabel() {
    return cleanup.batchLabel();
  }

  /** What the cleanup did, one entry per runner that had a registration or a container. */
  public StopReport cleanup() {
    return cleanup;
  }

  /** The cleanup's entries, as {@code cleanup().runners()}. */
  public List<StoppedRunner> runners() {
    return cleanup.runners();
  }
}
