package io.oneshot.core;

import io.oneshot.github.GitHubClient;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.RunnerLauncher;
import java.util.Objects;

/**
 * Runs the whole life of batches of ephemeral runners on one backend and one GitHub scope: start
 * (plan, register, launch in parallel, wait with a deadline), stop by batch label, and sweep. Every
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
    return new BatchStarter(github, launcher, options, request).start();
  }

  /**
   * Stops the runners of a batch: deletes registrations (busy runners are left alone unless
   * {@code force}), then terminates their containers. Idempotent: stopping again finds nothing.
   */
  public StopReport stop(String owner, String batchLabel, boolean force) {
    requireOwner(owner);
    if (batchLabel == null || batchLabel.isBlank()) {
      throw new InvalidSettingsException("runner-id is empty; pass the runner_id output of the start step");
    }
    return new BatchStopper(github, launcher, options).stop(owner, batchLabel.trim(), force);
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
