package io.oneshot.core;

import io.oneshot.github.DeleteOutcome;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.Runner;
import io.oneshot.spi.ContainerState;
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
 * One sweep pass for one owner and name prefix: reconciles the cloud and GitHub, touching only what
 * carries this owner's identity on both sides. GitHub is listed first, then the cloud. Containers past
 * {@code oneshot-expires} are stopped (registration first); containers whose runner is not online after
 * the boot timeout are marked, and stopped on the next pass after a last look at the registration;
 * finished containers of a cloud that keeps them ({@link RunnerLauncher#keepsFinishedContainers()}) are
 * deleted; offline registrations of ours older than the boot timeout (their {@code oneshot-created-}
 * label) without a live container are deleted. A registration is ours only when it carries this
 * owner's label ({@link RunnerLabels#ownerLabel}) and the prefix's name shape; one that is not is never
 * deleted, and neither is the container of a runner registered under another owner. A busy runner is
 * never touched, nor a container whose runner GitHub might still be giving a job (the registration is
 * deleted first; 422 leaves both). A container without our owner tag is never seen. Blocks; a pass right
 * after a pass finds nothing to do.
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
    Set<String> notOurs = new HashSet<>();
    for (Runner runner : github.listRunners()) {
      if (isOurs(runner, prefix, owner)) {
        ours.put(OwnershipTags.safeValue(runner.name()), runner);
      } else {
        notOurs.add(OwnershipTags.safeValue(runner.name()));
      }
    }
    // One look at every container with its state: one pass where the backend's list carries the states, else a
    // list and one batched describe (one cloud call per 100 where the backend batches), never one call each.
    List<LaunchedRunner> containers = new ArrayList<>();
    List<ContainerStatus> statuses = new ArrayList<>();
    launcher.listOwnedWithStatus(owner).forEach((container, status) -> {
      if (container.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent()) {
        containers.add(container);
        statuses.add(status);
      }
    });
    List<SweepFinding> findings = new ArrayList<>();
    Set<String> liveRunnerNames = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      LaunchedRunner container = containers.get(i);
      String name = container.tag(OwnershipTags.RUNNER).orElse(container.resourceId());
      ContainerStatus status = statuses.get(i);
      if (status.state().isFinal()) {
        marks.unmark(container.resourceId());
        if (status.state() == ContainerState.STOPPED && launcher.keepsFinishedContainers()) {
          launcher.terminate(container, "oneshot sweep: finished, deleting what the cloud keeps");
          findings.add(new SweepFinding(SweepActionKind.DELETED_FINISHED, name, container.resourceId(),
              "finished container the cloud keeps until deleted: deleted"));
          events.emit(name, FleetPhase.TERMINATED, "finished container deleted");
        }
        continue;
      }
      liveRunnerNames.add(name);
      if (notOurs.contains(name)) {
        // Registered under another owner's label (or none): whatever it is, it is not ours to judge.
        marks.unmark(container.resourceId());
        continue;
      }
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
        stopContainer(container, runner, owner, "oneshot sweep: past oneshot-expires", events)
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
      marks.unmark(container.resourceId());
      stopContainer(container, runner, owner, "oneshot sweep: runner never came online", events)
          .ifPresentOrElse(findings::add, () -> findings.add(new SweepFinding(SweepActionKind.STOPPED_NEVER_ONLINE,
              name, container.resourceId(), "runner never came online: registration deleted, container terminated")));
    }
    for (Map.Entry<String, Runner> entry : ours.entrySet()) {
      Runner runner = entry.getValue();
      if (liveRunnerNames.contains(entry.getKey()) || runner.isOnline() || runner.busy()
          || !olderThanBootTimeout(runner, now)) {
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

  /**
   * Whether the registration's created label says it is older than the boot timeout. One without a
   * readable label (registered by something else, or before oneshot wrote the label) is never old enough.
   */
  private boolean olderThanBootTimeout(Runner runner, Instant now) {
    Optional<Instant> created = RunnerLabels.created(runner);
    return created.isPresent() && Duration.between(created.get(), now).compareTo(options.bootTimeout()) > 0;
  }

  /**
   * A last look at the registration, then registration first, then the container: empty when done, a
   * LEFT_BUSY finding when the runner is online, busy or took a job, or is registered under another owner.
   * The registration is looked up afresh (by id, or by name when the first listing had none: a runner that
   * registers itself may have done so since), so a runner that could be running a job is never stopped.
   */
  private Optional<SweepFinding> stopContainer(LaunchedRunner container, Runner listed, String owner, String reason,
      EventSink events) {
    String name = container.tag(OwnershipTags.RUNNER).orElse(container.resourceId());
    Optional<Runner> current = listed != null ? github.getRunner(listed.id())
        : github.listRunnersNamed(name).stream().findFirst();
    if (current.isPresent()) {
      Runner runner = current.get();
      if (!runner.hasLabel(RunnerLabels.ownerLabel(owner))) {
        return Optional.of(new SweepFinding(SweepActionKind.LEFT_BUSY, name, container.resourceId(),
            "registered under another owner: left alone"));
      }
      if (runner.isOnline() && !runner.busy() && !isExpired(container, options.clock().instant())) {
        return Optional.of(new SweepFinding(SweepActionKind.LEFT_BUSY, name, container.resourceId(),
            "came online since it was marked: left alone"));
      }
      if (runner.busy() || github.deleteRunner(runner.id()) == DeleteOutcome.BUSY) {
        events.emit(name, FleetPhase.LEFT_BUSY, "took a job meanwhile");
        return Optional.of(new SweepFinding(SweepActionKind.LEFT_BUSY, name, container.resourceId(),
            "took a job meanwhile: left alone"));
      }
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

  /**
   * A runner named {@code <prefix>-<8 random>} carrying a batch label {@code <prefix>-<16 random>} and this
   * owner's label {@code oneshot-owner-<owner>}.
   */
  static boolean isOurs(Runner runner, String prefix, String owner) {
    return runner.hasLabel(RunnerLabels.ownerLabel(owner))
        && NameGenerator.matches(runner.name(), prefix, NameGenerator.RUNNER_SUFFIX)
        && runner.labels().stream().anyMatch(l -> NameGenerator.matches(l, prefix, NameGenerator.BATCH_SUFFIX));
  }
}
