package io.oneshot.core;

import io.oneshot.github.GitHubClient;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.Sleeper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Runs the whole life of batches of ephemeral runners on one backend and one GitHub scope: start
 * (plan, register, launch in parallel, wait with a deadline; cancellable), stop by batch label or
 * workflow run, and sweep. Every
 * method blocks until its work is done. Thread-safe: batches may start concurrently; sweep marks are
 * kept between passes in {@link FleetOptions#sweepMarks()}.
 *
 * <p>Build one with {@link #builder()}: it derives the {@link #owner()} from the GitHub client's scope and
 * the launcher's {@link RunnerLauncher#scopeKey() scope} ({@link FleetOwner#of(io.oneshot.github.GitHubScope,
 * RunnerLauncher)}), so batches started here are seen by every stop and sweep for the same GitHub scope on
 * the same backend scope, and by no other. The owner-less {@link #stop(String,
 * boolean)}, {@link #stopRun(String, boolean)}, {@link #sweep(String)} and {@link #request()} use that owner.
 */
public final class RunnerFleet {
  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;
  private final String owner;

  /**
   * A fleet over a GitHub client, a launcher and options; the same as {@link #builder()} with those
   * three. Does not block.
   */
  public RunnerFleet(GitHubClient github, RunnerLauncher launcher, FleetOptions options) {
    this.github = Objects.requireNonNull(github, "github");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.options = Objects.requireNonNull(options, "options");
    this.owner = FleetOwner.of(github.scope(), launcher);
  }

  /** A builder; {@link Builder#github} and {@link Builder#launcher} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The owner identity this fleet's owner-less methods use: {@link FleetOwner#of(io.oneshot.github.GitHubScope,
   * RunnerLauncher)} of the GitHub client's scope and the launcher. Does not block.
   */
  public String owner() {
    return owner;
  }

  /** The options this fleet runs with (its clock, sleeper, listeners, sweep marks...). */
  public FleetOptions options() {
    return options;
  }

  /**
   * A request builder for {@link #start} with this fleet's {@link #owner()} filled in and the defaults
   * of the action's inputs. Does not block; each call returns a new builder.
   */
  public FleetRequest.Builder request() {
    return FleetRequest.builder(owner);
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

  /** {@link #stop(String, String, boolean)} for this fleet's {@link #owner()}. Blocks; idempotent. */
  public StopReport stop(String batchLabel, boolean force) {
    return stop(owner, batchLabel, force);
  }

  /** {@link #stopRun(String, String, boolean)} for this fleet's {@link #owner()}. Blocks; idempotent. */
  public StopReport stopRun(String runId, boolean force) {
    return stopRun(owner, runId, force);
  }

  /** {@link #sweep(String, String)} for this fleet's {@link #owner()}. Blocks. */
  public SweepReport sweep(String prefix) {
    return sweep(owner, prefix);
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
   * second pass right after finds nothing to do, except stopping what the first one marked. Blocks.
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

  /**
   * Builds a {@link RunnerFleet}. Start from {@link FleetOptions#defaults()} or {@link #options}, then
   * change parts of them; parts set here win over the options, whichever was set first. Not thread-safe.
   *
   * <p>One clock for everything: {@link #clock} and {@link #sleeper} set the fleet's; the fleet cannot
   * reach into the {@link GitHubClient} or the launcher, which take their own
   * ({@link GitHubClient.Builder#clock}, {@link GitHubClient.Builder#sleeper}, the backend's builder).
   * Give them the same clock and sleeper, or rate-limit resets, deadlines and tag expiries are read on
   * different time lines.
   */
  public static final class Builder {
    private GitHubClient github;
    private RunnerLauncher launcher;
    private FleetOptions options = FleetOptions.defaults();
    private Clock clock;
    private Sleeper sleeper;
    private Random random;
    private final List<FleetListener> listeners = new ArrayList<>();
    private SweepMarkStore sweepMarks;

    private Builder() {}

    /** The GitHub client; its scope and the launcher's give the fleet's {@link RunnerFleet#owner()}. Required. */
    public Builder github(GitHubClient github) {
      this.github = Objects.requireNonNull(github, "github");
      return this;
    }

    /** The launcher of the backend the runners run on. Required; the caller closes it. */
    public Builder launcher(RunnerLauncher launcher) {
      this.launcher = Objects.requireNonNull(launcher, "launcher");
      return this;
    }

    /** The options to start from (default {@link FleetOptions#defaults()}). */
    public Builder options(FleetOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The fleet's clock, replacing the options'; give the GitHub client and the launcher the same one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The fleet's sleeper, replacing the options'; give the GitHub client the same one. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The source of batch labels and runner names, replacing the options'. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Adds a progress listener after the options' own. */
    public Builder listener(FleetListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where the sweep keeps its marks, replacing the options' store (for example one that persists them). */
    public Builder sweepMarks(SweepMarkStore store) {
      this.sweepMarks = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Builds the fleet. Does not block.
     *
     * @throws NullPointerException when the GitHub client or the launcher is missing
     */
    public RunnerFleet build() {
      Objects.requireNonNull(github, "github: call github(GitHubClient) before build()");
      Objects.requireNonNull(launcher, "launcher: call launcher(RunnerLauncher) before build()");
      FleetOptions.Builder merged = options.toBuilder();
      if (clock != null) {
        merged.clock(clock);
      }
      if (sleeper != null) {
        merged.sleeper(sleeper);
      }
      if (random != null) {
        merged.random(random);
      }
      if (sweepMarks != null) {
        merged.sweepMarks(sweepMarks);
      }
      listeners.forEach(merged::listener);
      return new RunnerFleet(github, launcher, merged.build());
    }
  }
}
