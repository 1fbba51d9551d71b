package io.oneshot.core;

import io.oneshot.github.DeleteOutcome;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.Runner;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep pass for one owner and name prefix: reconciles the cloud and GitHub. Containers past
 * {@code oneshot-expires} are stopped (registration first); containers whose runner is not online
 * after the boot timeout are marked, and stopped on the next pass after a last look at the
 * registration; offline registrations of ours without a live container are deleted. A busy runner is
 * never touched; a container without our owner tag is never seen. Blocks; a pass right after a
 * pass finds nothing to do.
 */
final class Sweeper {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;

  Sweeper(GitHubClient github, RunnerLauncher launcher, FleetOptions options) {
    this.github = github;
    this.launcher = launcher;
    this.options = options;
  }

  SweepReport sweep(String owner, String prefix) {
    EventSink events = new EventSink(options.clock(), options.listeners());
    Instant now = options.clock().instant();
    SweepMarkStore marks = options.sweepMarks();
    // GitHub first: a runner registered after this listing is not judged an orphan, since its container,
    // launched after the registration, is listed below and too young to touch.
    Map<String, Runner> ours = new HashMap<>();
    for (Runner runner : github.listRunners()) {
      if (isOurs(runner, prefix)) {
        ours.put(OwnershipTags.safeValue(runner.name()), runner);
      }
    }
    List<LaunchedRunner> containers = launcher.listOwned(owner).stream()
        .filter(c -> c.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()).toList();
    // One batched look at every container (one cloud call per 100 where the backend batches), not one each.
    List<ContainerStatus> statuses = containers.isEmpty() ? List.of() : launcher.describeAll(containers);
    if (statuses.size() != containers.size()) {
      throw new IllegalStateException("describeAll answered " + statuses.size() + " statuses for "
          + containers.size() + " containers; a launcher must answer one per container, in order");
    }
    List<SweepFinding> findings = new ArrayList<>();
    Set<String> liveRunnerNames = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      LaunchedRunner container = containers.get(i);
      String name = container.tag(OwnershipTags.RUNNER).orElse(container.resourceId());
      ContainerStatus status = statuses.get(i);
      if (status.state().isFinal()) {
        marks.unmark(container.resourceId());
        continue;
      }
      liveRunnerNames.add(name);
      Runner runner = ours.get(name);
      if (runner != null && runner.busy()) {
        marks.unmark(container.resourceId());
        if (isExpired(container, now)) {
          findings.add(new SweepFinding(SweepActionKind.LEFT_BUSY, runner.name(), container.resourceId(),
              "past its expiry but running a job: left alone"));
          events.emit(runner.name(), FleetPhase.LEFT_BUSY, "expired but running a job");
        }
        continue;
      }
      if (isExpired(container, now)) {
        stopContainer(container, runner, "oneshot sweep: past oneshot-expires", events)
            .ifPresentOrElse(findings::add, () -> findings.add(new SweepFinding(SweepActionKind.STOPPED_EXPIRED, name,
                container.resourceId(), "past its expiry: registration deleted, container terminated")));
        continue;
      }
      Duration age = Duration.between(container.launchedAt(), now);
      boolean online = runner != null && runner.isOnline();
      if (online || age.compareTo(options.bootTimeout()) <= 0) {
        marks.unmark(container.resourceId());
        continue;
      }
      if (marks.markedAt(container.resourceId()).isEmpty()) {
        marks.mark(container.resourceId(), now);
        findings.add(new SweepFinding(SweepActionKind.MARKED_NEVER_ONLINE, name, container.resourceId(),
            "running " + age.toSeconds() + " s without its runner online: stopped next pass unless it comes online"));
        events.emit(name, FleetPhase.MARKED, "runner not online after " + age.toSeconds() + " s");
        continue;
      }
      Optional<Runner> lastLook = runner == null ? Optional.empty() : github.getRunner(runner.id());
      if (lastLook.isPresent() && (lastLook.get().isOnline() || lastLook.get().busy())) {
        marks.unmark(container.resourceId());
        continue;
      }
      marks.unmark(container.resourceId());
      stopContainer(container, lastLook.orElse(null), "oneshot sweep: runner never came online", events)
          .ifPresentOrElse(findings::add, () -> findings.add(new SweepFinding(SweepActionKind.STOPPED_NEVER_ONLINE,
              name, container.resourceId(), "runner never came online: registration deleted, container terminated")));
    }
    for (Map.Entry<String, Runner> entry : ours.entrySet()) {
      Runner runner = entry.getValue();
      if (liveRunnerNames.contains(entry.getKey()) || runner.isOnline() || runner.busy()) {
        continue;
      }
      DeleteOutcome deleted = github.deleteRunner(runner.id());
      if (deleted == DeleteOutcome.DELETED) {
        findings.add(new SweepFinding(SweepActionKind.DELETED_ORPHAN_REGISTRATION, runner.name(), "",
            "offline registration without a live container: deleted"));
        events.emit(runner.name(), FleetPhase.DEREGISTERED, "orphan registration deleted");
      } else if (deleted == DeleteOutcome.BUSY) {
        findings.add(new SweepFinding(SweepActionKind.LEFT_BUSY, runner.name(), "", "took a job meanwhile: left alone"));
      }
    }
    return new SweepReport(containers.size(), ours.size(), findings);
  }

  /** Registration first, then the container; empty when done, a LEFT_BUSY finding when the runner took a job. */
  private Optional<SweepFinding> stopContainer(LaunchedRunner container, Runner runner, String reason,
      EventSink events) {
    String name = container.tag(OwnershipTags.RUNNER).orElse(container.resourceId());
    if (runner != null && github.deleteRunner(runner.id()) == DeleteOutcome.BUSY) {
      events.emit(name, FleetPhase.LEFT_BUSY, "took a job meanwhile");
      return Optional.of(new SweepFinding(SweepActionKind.LEFT_BUSY, name, container.resourceId(),
          "took a job meanwhile: left alone"));
    }
    launcher.terminate(container, reason);
    events.emit(name, FleetPhase.TERMINATED, reason);
    return Optional.empty();
  }

  private static boolean isExpired(LaunchedRunner container, Instant now) {
    Optional<String> expires = container.tag(OwnershipTags.EXPIRES);
    if (expires.isEmpty()) {
      return false;
    }
    try {
      return now.isAfter(Instant.ofEpochSecond(Long.parseLong(expires.get())));
    } catch (NumberFormatException e) {
      LOG.warn("{} has an unreadable {} tag; not treated as expired", container.resourceId(), OwnershipTags.EXPIRES);
      return false;
    }
  }

  /** A runner named {@code <prefix>-<8 random>} carrying a batch label {@code <prefix>-<16 random>}. */
  static boolean isOurs(Runner runner, String prefix) {
    return NameGenerator.matches(runner.name(), prefix, NameGenerator.RUNNER_SUFFIX)
        && runner.labels().stream().anyMatch(l -> NameGenerator.matches(l, prefix, NameGenerator.BATCH_SUFFIX));
  }
}
