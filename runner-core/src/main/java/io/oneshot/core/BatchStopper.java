package io.oneshot.core;

import io.oneshot.github.DeleteOutcome;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.Runner;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stops every runner of one batch label: deletes each registration first (a busy runner is left
 * alone, unless forced), then terminates the containers. One list call to GitHub and one to the
 * cloud, then one delete per registration; containers without a registration are described once to
 * tell live ones (reported) from stopped ones (released quietly). Blocks; safe to repeat (a second
 * stop reports nothing).
 */
final class BatchStopper {
  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;

  BatchStopper(GitHubClient github, RunnerLauncher launcher, FleetOptions options) {
    this.github = github;
    this.launcher = launcher;
    this.options = options;
  }

  StopReport stop(String owner, String batchLabel, boolean force) {
    EventSink events = new EventSink(options.clock(), options.listeners());
    String labelTag = OwnershipTags.safeValue(batchLabel);
    Map<String, LaunchedRunner> containers = new HashMap<>();
    for (LaunchedRunner container : launcher.listOwned(owner)) {
      if (container.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()
          && container.tag(OwnershipTags.LABEL).filter(labelTag::equals).isPresent()) {
        containers.put(container.tag(OwnershipTags.RUNNER).orElse(container.resourceId()), container);
      }
    }
    List<StoppedRunner> report = new ArrayList<>();
    List<LaunchedRunner> toTerminate = new ArrayList<>();
    for (Runner runner : github.listRunners()) {
      if (!runner.hasLabel(batchLabel)) {
        continue;
      }
      LaunchedRunner container = containers.remove(OwnershipTags.safeValue(runner.name()));
      Optional<String> resourceId = Optional.ofNullable(container).map(LaunchedRunner::resourceId);
      DeleteOutcome deleted = github.deleteRunner(runner.id());
      if (deleted == DeleteOutcome.BUSY && !force) {
        events.emit(runner.name(), FleetPhase.LEFT_BUSY, "running a job: left alone (force stops it)");
        report.add(new StoppedRunner(runner.name(), OptionalLong.of(runner.id()), resourceId, StopAction.LEFT_BUSY,
            "running a job; registration and container left alone"));
        continue;
      }
      if (container != null) {
        toTerminate.add(container);
      }
      if (deleted == DeleteOutcome.BUSY) {
        events.emit(runner.name(), FleetPhase.TERMINATED, "forced: stopped while running a job");
        report.add(new StoppedRunner(runner.name(), OptionalLong.of(runner.id()), resourceId, StopAction.FORCED,
            "running a job, stopped because the stop was forced; GitHub drops the offline registration"
                + " (the sweep deletes it if not)"));
      } else {
        events.emit(runner.name(), FleetPhase.DEREGISTERED, deleted == DeleteOutcome.DELETED
            ? "registration deleted" : "registration already gone");
        report.add(new StoppedRunner(runner.name(), OptionalLong.of(runner.id()), resourceId, StopAction.STOPPED,
            deleted == DeleteOutcome.DELETED ? "registration deleted, container terminated"
                : "registration already gone, container terminated"));
      }
    }
    List<LaunchedRunner> alreadyStopped = new ArrayList<>();
    for (Map.Entry<String, LaunchedRunner> leftover : containers.entrySet()) {
      LaunchedRunner container = leftover.getValue();
      if (launcher.describe(container).state().isFinal()) {
        alreadyStopped.add(container);
        continue;
      }
      toTerminate.add(container);
      report.add(new StoppedRunner(leftover.getKey(), OptionalLong.empty(), Optional.of(container.resourceId()),
          StopAction.STOPPED, "no registration left in GitHub, container terminated"));
    }
    int work = Math.max(toTerminate.size(), alreadyStopped.size());
    try (Parallel parallel = new Parallel(Math.max(1, Math.min(work, options.parallelism())))) {
      parallel.forEach(toTerminate, container -> {
        launcher.terminate(container, "oneshot stop " + batchLabel);
        events.emit(container.tag(OwnershipTags.RUNNER).orElse(container.resourceId()), FleetPhase.TERMINATED,
            "container terminated");
      });
      // Stopped containers of the batch are released too (some clouds keep them until deleted), quietly:
      // they are not runners this stop stopped.
      parallel.forEach(alreadyStopped, container -> launcher.terminate(container, "oneshot stop " + batchLabel));
    }
    return new StopReport(batchLabel, report);
  }
}
