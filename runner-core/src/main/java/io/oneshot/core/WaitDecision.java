package io.oneshot.core;

import io.oneshot.github.Runner;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.RunnerExitCodes;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the wait loop does with one runner after one poll round, decided by {@link #decide} from what
 * the round saw; {@link BatchStarter} applies it (events, releases, retries). Values; no I/O.
 */
sealed interface WaitDecision {

  /** GitHub lists the runner online, or already running a job ({@code busy}). */
  record Online(boolean busy) implements WaitDecision {}

  /** The container exited 0 and GitHub no longer lists its JIT runner: it ran a job between two polls. */
  record OnlineAfterJob() implements WaitDecision {}

  /**
   * The container stopped before its runner was online.
   *
   * @param kind the failure kind, refined by the runner image's exit code
   * @param reason what the cloud said, for the outcome and the event
   * @param retryable whether a new attempt (fresh registration, maybe next capacity option) may work
   */
  record Failed(FailureKind kind, String reason, boolean retryable) implements WaitDecision {
    public Failed {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The container runs for the first time this attempt: report it, then keep waiting. */
  record FirstRunning() implements WaitDecision {}

  /** Nothing decided yet: look again next round. */
  record KeepWaiting() implements WaitDecision {}

  /** The deadline passed and the runner is not online: release it and report it timed out. */
  record TimedOut() implements WaitDecision {}

  /** The slot is not waited for (not launched, or already settled): leave it alone. */
  record NotWaiting() implements WaitDecision {}

  /**
   * What GitHub said about the runner this round.
   */
  sealed interface Sighting {
    /** GitHub could not be listed this round (a retryable error): no answer, not an absence. */
    record Unavailable() implements Sighting {}

    /** GitHub was listed (or not asked because every container was still pending) and the runner was not there. */
    record NotListed() implements Sighting {}

    /** GitHub listed the runner. */
    record Listed(Runner runner) implements Sighting {
      public Listed {
        Objects.requireNonNull(runner, "runner");
      }
    }

    /** The sighting for a listing result: {@code listing} empty means GitHub did not answer. */
    static Sighting of(Optional<Map<String, Runner>> listing, String key) {
      if (listing.isEmpty()) {
        return new Unavailable();
      }
      Runner runner = listing.get().get(key);
      return runner == null ? new NotListed() : new Listed(runner);
    }
  }

  /**
   * The slot as the decision needs it.
   *
   * @param state where the slot stands
   * @param attempts containers tried so far, this one included
   * @param jit whether the attempt registered a JIT runner (GitHub knows its id), not a token runner
   * @param runningReported whether RUNNING was already reported for this attempt
   */
  record SlotView(RunnerSlot.State state, int attempts, boolean jit, boolean runningReported) {
    public SlotView {
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * The decision for one runner. In order: a runner GitHub lists online or busy is online; a container
   * that stopped with exit 0 whose JIT runner GitHub (answering) no longer lists ran a job; any other
   * stopped or gone container failed; past the deadline it timed out; a container running for the first
   * time is reported; otherwise keep waiting. Pure: same input, same answer.
   *
   * @param slot the slot; only a {@link RunnerSlot.State#LAUNCHED} slot is waited for
   * @param status this round's look at the container ({@code UNRECOGNIZED} when the cloud gave no answer)
   * @param seen what GitHub said about the runner this round
   * @param now the time of the round
   * @param deadline when the batch stops waiting
   */
  static WaitDecision decide(SlotView slot, ContainerStatus status, Sighting seen, Instant now, Instant deadline) {
    if (slot.state() != RunnerSlot.State.LAUNCHED) {
      return new NotWaiting();
    }
    if (seen instanceof Sighting.Listed listed && (listed.runner().isOnline() || listed.runner().busy())) {
      return new Online(listed.runner().busy());
    }
    if (status.state().isFinal()) {
      if (seen instanceof Sighting.NotListed && slot.jit() && status.exitCode().equals(Optional.of(0))) {
        return new OnlineAfterJob();
      }
      return failed(slot, status);
    }
    if (!now.isBefore(deadline)) {
      return new TimedOut();
    }
    if (status.state() == ContainerState.RUNNING && !slot.runningReported()) {
      return new FirstRunning();
    }
    return new KeepWaiting();
  }

  private static Failed failed(SlotView slot, ContainerStatus status) {
    FailureKind kind = status.failure().orElse(status.exitCode().isPresent() ? FailureKind.EXITED
        : FailureKind.UNKNOWN);
    if (kind == FailureKind.EXITED && status.exitCode().isPresent()) {
      // The runner image's exit codes say more than "exited": a bad setup will fail the same way again.
      kind = RunnerExitCodes.failureKind(status.exitCode().get()).orElse(kind);
    }
    String reason = "container " + status.rawStatus()
        + status.exitCode().map(code -> " (exit code " + code
            + RunnerExitCodes.meaning(code).map(meaning -> ": " + meaning).orElse("") + ")").orElse("")
        + (status.reason().isEmpty() ? "" : ": " + status.reason()) + " before the runner was online";
    // Exit code 4 on a first attempt: the JIT config was refused or the registration vanished before
    // the runner was online; a fresh registration usually works.
    boolean noJobFirstTime = status.exitCode().equals(Optional.of(RunnerExitCodes.NO_JOB)) && slot.attempts() == 1;
    return new Failed(kind, reason, kind.retryable() || noJobFirstTime);
  }
}
