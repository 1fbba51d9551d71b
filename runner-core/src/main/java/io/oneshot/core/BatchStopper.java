package io.oneshot.core;

import io.oneshot.github.DeleteOutcome;
import io.oneshot.github.GitHubApiException;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.Runner;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops every runner of a selection (one batch label, or one workflow run) of one owner (registrations
 * carrying its {@link RunnerLabels#ownerLabel owner label}, containers its owner tag): for each, deletes the
 * registration first (a busy runner is left alone unless forced), then terminates its container. The
 * containers are found by their tags, so they are terminated even when GitHub cannot be asked (its
 * list or a delete fails); only a runner GitHub listed as busy is then spared. One list call to GitHub
 * and one to the cloud, then one delete per registration, in parallel; containers without a
 * registration are described once to tell live ones (reported) from stopped ones (released quietly).
 * Blocks; safe to repeat (a second stop reports nothing).
 */
final class BatchStopper {
  private static final Logger LOG = LoggerFactory.getLogger(BatchStopper.class);

  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;

  BatchStopper(GitHubClient github, RunnerLauncher launcher, FleetOptions options) {
    this.github = github;
    this.launcher = launcher;
    this.options = options;
  }

  StopReport stop(String owner, StopSelector selector, boolean force) {
    EventSink events = new EventSink(options.clock(), options.listeners());
    RunnerRelease release = new RunnerRelease(launcher, events);
    String reason = "oneshot stop " + selector.name();
    Map<String, LaunchedRunner> containers = new LinkedHashMap<>();
    Optional<OneshotException> unlisted = Optional.empty();
    try {
      for (LaunchedRunner container : launcher.listOwned(owner)) {
        if (container.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent() && selector.matches(container)) {
          containers.put(container.tag(OwnershipTags.RUNNER).orElse(container.resourceId()), container);
        }
      }
    } catch (OneshotException e) {
      // The registrations are still deleted (an idle runner whose registration is gone exits on its own); the
      // stop then fails, saying so, so that the step shows it and a later stop or the sweep ends the containers.
      LOG.warn("could not list the cloud's containers ({}); deleting the registrations only", e.getMessage());
      unlisted = Optional.of(e);
    }
    Optional<List<Runner>> selected = listRegistrations(selector);
    // Only registrations carrying this owner's label are this stop's; a container of ours registered under
    // another owner's label (a runner name reused across owners) is left alone with it.
    String ownerLabel = RunnerLabels.ownerLabel(owner);
    Optional<List<Runner>> registrations = selected.map(all -> all.stream().filter(r -> r.hasLabel(ownerLabel)).toList());
    selected.ifPresent(all -> all.stream().filter(r -> !r.hasLabel(ownerLabel))
        .forEach(r -> containers.remove(OwnershipTags.safeValue(r.name()))));
    List<Supplier<StoppedRunner>> work = new ArrayList<>();
    for (Runner runner : registrations.orElse(List.of())) {
      Optional<LaunchedRunner> container = Optional.ofNullable(containers.remove(OwnershipTags.safeValue(runner.name())));
      work.add(() -> release.release(runner.name(), OptionalLong.of(runner.id()), Optional.of(() -> delete(runner)),
          container, force, reason));
    }
    List<LaunchedRunner> alreadyStopped = new ArrayList<>();
    for (Map.Entry<String, LaunchedRunner> leftover : containers.entrySet()) {
      LaunchedRunner container = leftover.getValue();
      if (isStopped(container)) {
        alreadyStopped.add(container);
        continue;
      }
      String runnerName = leftover.getKey();
      if (registrations.isPresent()) {
        // GitHub answered and has no registration for it: nothing to delete.
        work.add(() -> release.release(runnerName, OptionalLong.empty(),
            Optional.of(() -> DeleteOutcome.ALREADY_GONE), Optional.of(container), force, reason));
      } else {
        work.add(() -> release.release(runnerName, OptionalLong.empty(), Optional.empty(), Optional.of(container),
            force, reason));
      }
    }
    int size = Math.max(work.size(), alreadyStopped.size());
    List<StoppedRunner> report;
    try (Parallel parallel = new Parallel(Math.max(1, Math.min(size, options.parallelism())))) {
      report = parallel.map(work, Supplier::get);
      // Stopped containers of the batch are released too (some clouds keep them until deleted), quietly:
      // they are not runners this stop stopped.
      parallel.forEach(alreadyStopped, container -> terminateQuietly(container, reason));
    }
    if (unlisted.isPresent()) {
      throw new OneshotException("stop " + selector.name() + ": the cloud's containers could not be listed ("
          + unlisted.get().getMessage() + "); " + report.size() + " registration(s) handled (" + new StopReport(
          selector.name(), report).summary() + "), their containers not: stop again, or the sweep ends them",
          unlisted.get().retryable(), unlisted.get());
    }
    return new StopReport(selector.name(), report);
  }

  /** The selection's registrations; empty when GitHub could not be asked. */
  private Optional<List<Runner>> listRegistrations(StopSelector selector) {
    try {
      return Optional.of(github.listRunners().stream().filter(selector::matches).toList());
    } catch (GitHubApiException e) {
      LOG.warn("could not list GitHub's runners ({}); terminating the containers found by their tags", e.getMessage());
      return Optional.empty();
    }
  }

  /** Deletes a registration; when GitHub fails, a runner it listed as busy still counts as busy. */
  private DeleteOutcome delete(Runner runner) {
    try {
      return github.deleteRunner(runner.id());
    } catch (GitHubApiException e) {
      if (runner.busy()) {
        LOG.warn("could not delete the registration of {} ({}); it was listed busy, so it is left alone",
            runner.name(), e.getMessage());
        return DeleteOutcome.BUSY;
      }
      throw e;
    }
  }

  private boolean isStopped(LaunchedRunner container) {
    try {
      return launcher.describe(container).state().isFinal();
    } catch (OneshotException e) {
      return false;
    }
  }

  private void terminateQuietly(LaunchedRunner container, String reason) {
    try {
      launcher.terminate(container, reason);
    } catch (RuntimeException e) {
      LOG.warn("could not release the stopped container {}: {}", container.resourceId(), e.getMessage());
    }
  }
}
