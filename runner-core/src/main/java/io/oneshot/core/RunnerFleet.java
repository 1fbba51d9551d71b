package io.oneshot.core;

import io.oneshot.github.GitHubClient;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.RunnerLauncher;
import java.util.Objects;

/**
 * Runs the whole life of batches of ephemeral runners on one backend and one GitHub scope: start
 * (plan, register, launch in parallel, wait with a deadline; cancellable), stop by batch label or
 * workflow run, and sweep. Every
 * method blocks until its work is done. Thread-safe: batches may start concurrently; sweep marks are
 * kept between passes of this instance.
 */
public final class RunnerFleet {
  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;

  public RunnerFleet(GitHubClient github, RunnerLauncher launcher, FleetOptions options) {
    this.github = Objects.requireNonNull(github, "github");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Starts a batch and, when the request says so, waits until every runner is online or the deadline.
   * Runners that fail or time out are deregistered and terminated; the result says per runner what
   * happened. If something unexpected throws, everything this call created is cleaned up first.
   * Not idempotent: each call starts a new batch with a new label.
   */
  public BatchResult start(FleetRequest request) {
    return start(request, new StartCancellation());
  }

  /**
   * {@link #start(FleetRequest)} that another thread can cancel through {@code cancellation} (a JVM
   * shutdown hook, for example); interrupting the calling thread has the same effect. A {@link
   * FleetPhase#PLANNED} event names the batch label before anything is created. On a cancel or an
   * interrupt: waiting stops at once, nothing new is launched (launches in flight finish), then within
   * {@link FleetOptions#cancelBudget()} every registration is deleted and every container terminated, in
   * parallel, except runners GitHub says are running a job. Blocks; not idempotent; one token per call.
   *
   * @throws StartCancelledException after the cleanup, with the batch label and what was cleaned up;
   *     the interrupt flag is set again when the thread was interrupted from outside
   */
  public BatchResult start(FleetRequest request, StartCancellation cancellation) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(cancellation, "cancellation");
    return new BatchStarter(github, launcher, options, request, cancellation).start();
  }

  /**
   * Stops the runners of a batch: deletes registrations (busy runners are left alone unless
   * {@code force}), then terminates their containers, found by their tags, also when GitHub cannot be
   * asked. Blocks. Idempotent: stopping again finds nothing.
   */
  public StopReport stop(String owner, String batchLabel, boolean force) {
    requireOwner(owner);
    if (batchLabel == null || batchLabel.isBlank()) {
      throw InvalidSettingsException.of("runner-id", "runner-id is empty; pass the runner_id output of the start step");
    }
    return new BatchStopper(github, launcher, options).stop(owner, new StopSelector.Batch(batchLabel.trim()), force);
  }

  /**
   * Stops every batch one workflow run started ({@link FleetRequest.Builder#workflowRun}): registrations
   * labelled {@code oneshot-run-<runId>} and the owner's containers tagged with that run, with the rules
   * of {@link #stop}. Blocks. Idempotent.
   */
  public StopReport stopRun(String owner, String runId, boolean force) {
    requireOwner(owner);
    FleetRequest.workflowRunProblem(runId).ifPresent(problem -> {
      throw InvalidSettingsException.of("GITHUB_RUN_ID", problem);
    });
    return new BatchStopper(github, launcher, options).stop(owner, new StopSelector.Run(runId), force);
  }

  /**
   * One sweep pass for an owner and name prefix (see {@link SweepActionKind} for what it does). A
   * second pass right after finds nothing to do, except stopping what the first one marked.
   */
  public SweepReport sweep(String owner, String prefix) {
    requireOwner(owner);
    FleetRequest.prefixProblem(prefix).ifPresent(problem -> {
      throw new InvalidSettingsException(problem);
    });
    return new Sweeper(github, launcher, options).sweep(owner, prefix);
  }

  private static void requireOwner(String owner) {
    FleetRequest.ownerProblem(owner).ifPresent(problem -> {
      throw new InvalidSettingsException(problem);
    });
  }
}
