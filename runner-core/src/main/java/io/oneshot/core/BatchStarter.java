package io.oneshot.core;

import io.oneshot.github.GitHubApiException;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.Runner;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerExitCodes;
import io.oneshot.spi.RunnerLauncher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plan → register → launch (in parallel) → wait for one batch. A container that stops before its
 * runner is online is deregistered and, when the failure is retryable, replaced with a fresh
 * registration and the next capacity option; runners not online by the deadline are deregistered
 * and terminated. Anything that throws after the first registration cleans up the whole batch.
 * Blocks until done; one instance per call.
 */
final class BatchStarter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchStarter.class);

  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;
  private final FleetRequest request;
  private final NameGenerator names;
  private final EventSink events;
  private final String batchLabel;
  private Registrar registrar;

  BatchStarter(GitHubClient github, RunnerLauncher launcher, FleetOptions options, FleetRequest request) {
    this.github = github;
    this.launcher = launcher;
    this.options = options;
    this.request = request;
    this.names = new NameGenerator(options.random());
    this.events = new EventSink(options.clock(), options.listeners());
    this.batchLabel = names.batchLabel(request.prefix());
  }

  BatchResult start() {
    List<String> labels = RunnerLabels.forRunner(request.architecture(), request.prefix(), request.labels(),
        batchLabel, request.workflowRun());
    registrar = Registrar.prepare(github, request, labels, options.clock());
    List<RunnerSlot> slots = IntStream.range(0, request.count())
        .mapToObj(i -> new RunnerSlot(names.runnerName(request.prefix()))).toList();
    boolean finished = false;
    try (Parallel parallel = new Parallel(Math.min(request.count(), options.parallelism()))) {
      parallel.forEach(slots, slot -> attempt(slot, 0));
      if (request.waitForOnline()) {
        waitForOnline(slots, parallel);
      }
      finished = true;
      return new BatchResult(batchLabel, slots.stream().map(s -> s.outcome(request.waitForOnline())).toList());
    } finally {
      if (!finished) {
        cleanUpAfterError(slots);
      }
    }
  }

  /** Registers and launches one container for the slot; on a failure, retries or gives up. */
  private void attempt(RunnerSlot slot, int capacityOption) {
    Registration registration;
    try {
      registration = register(slot);
    } catch (GitHubApiException e) {
      String reason = "registering with GitHub failed: " + e.getMessage();
      slot.failed(kindOf(e), reason);
      events.emit(slot.runnerName(), FleetPhase.FAILED, reason);
      return;
    }
    slot.beginAttempt(registration, capacityOption);
    events.emit(slot.runnerName(), FleetPhase.REGISTERED, registration.githubRunnerId().isPresent()
        ? "GitHub runner id " + registration.githubRunnerId().getAsLong() : "registration token ready");
    LaunchSpec spec = new LaunchSpec(registration.runnerName(), registrar.labels(), registration.credential(),
        request.extraEnv(), request.maxLifetime(), request.idleTimeout(), tags(registration),
        idempotencyKey(registration.runnerName(), slot.attempts()), capacityOption);
    try {
      LaunchedRunner container = launcher.launch(spec);
      slot.launched(container);
      events.emit(slot.runnerName(), FleetPhase.LAUNCHED, container.resourceId());
    } catch (LaunchFailedException e) {
      afterFailure(slot, e.kind(), "launch refused: " + e.getMessage());
    } catch (OneshotException | IllegalArgumentException e) {
      afterFailure(slot, FailureKind.UNKNOWN, "launch failed: " + e.getMessage());
    }
  }

  /** The planned name first, a fresh name per later attempt; a 409 (name taken) gets one more fresh name. */
  private Registration register(RunnerSlot slot) {
    try {
      return registrar.register(slot.attempts() == 0 ? slot.runnerName() : names.runnerName(request.prefix()));
    } catch (GitHubApiException e) {
      if (e.status() != 409) {
        throw e;
      }
      return registrar.register(names.runnerName(request.prefix()));
    }
  }

  /** Deregisters the failed attempt, then replaces it when the failure is retryable and attempts remain. */
  private void afterFailure(RunnerSlot slot, FailureKind kind, String reason) {
    deregisterQuietly(slot);
    slot.container().ifPresent(container -> terminateQuietly(container, "oneshot: runner failed before online"));
    if (kind.retryable() && slot.attempts() < request.maxAttemptsPerRunner()) {
      int next = kind == FailureKind.CAPACITY
          ? Math.min(slot.capacityOption() + 1, launcher.capabilities().capacityOptions() - 1)
          : slot.capacityOption();
      events.emit(slot.runnerName(), FleetPhase.RETRYING, kind + ": " + reason + "; attempt "
          + (slot.attempts() + 1) + " of " + request.maxAttemptsPerRunner() + " with capacity option " + next);
      attempt(slot, next);
      return;
    }
    slot.failed(kind, reason);
    events.emit(slot.runnerName(), FleetPhase.FAILED, kind + ": " + reason);
  }

  private void waitForOnline(List<RunnerSlot> slots, Parallel parallel) {
    Instant deadline = events.started().plus(request.onlineTimeout());
    PollPacer pacer = new PollPacer(options.initialPollInterval(), options.maxPollInterval());
    Duration interval = pacer.first();
    while (true) {
      List<RunnerSlot> waiting = slots.stream().filter(s -> s.state() == RunnerSlot.State.LAUNCHED).toList();
      if (waiting.isEmpty()) {
        return;
      }
      List<ContainerStatus> statuses = parallel.map(waiting, slot -> describe(slot.container().orElseThrow()));
      // A runner cannot be online before its container runs: spare GitHub's budget until one does.
      boolean anyRunning = statuses.stream().anyMatch(status -> status.state() != ContainerState.PENDING);
      Optional<Map<String, Runner>> runners = anyRunning ? batchRunners() : Optional.of(Map.of());
      List<RunnerSlot> failedNow = new ArrayList<>();
      List<ContainerStatus> failedStatuses = new ArrayList<>();
      for (int i = 0; i < waiting.size(); i++) {
        RunnerSlot slot = waiting.get(i);
        ContainerStatus status = statuses.get(i);
        slot.learnPrivateIp(status.privateIp());
        Runner runner = runners.map(byName -> byName.get(slot.runnerName().toLowerCase(Locale.ROOT))).orElse(null);
        if (runner != null && (runner.isOnline() || runner.busy())) {
          slot.online(events.elapsed());
          events.emit(slot.runnerName(), FleetPhase.ONLINE, runner.busy() ? "online and already running a job"
              : "online in GitHub");
        } else if (status.state().isFinal() && runners.isPresent() && runner == null
            && status.exitCode().equals(Optional.of(0)) && slot.githubRunnerId().isPresent()) {
          slot.online(events.elapsed());
          events.emit(slot.runnerName(), FleetPhase.ONLINE, "ran a job and exited before a poll saw it online");
        } else if (status.state().isFinal()) {
          failedNow.add(slot);
          failedStatuses.add(status);
        } else if (status.state() == ContainerState.RUNNING && slot.firstTimeRunning()) {
          events.emit(slot.runnerName(), FleetPhase.RUNNING, "container running, waiting for the runner");
        }
      }
      List<Integer> indexes = IntStream.range(0, failedNow.size()).boxed().toList();
      parallel.forEach(indexes, i -> afterContainerStopped(failedNow.get(i), failedStatuses.get(i)));
      Instant now = options.clock().instant();
      if (!now.isBefore(deadline)) {
        timeOut(slots, parallel);
        return;
      }
      // Keep enough budget to deregister every runner of the batch, and a little more.
      Duration pace = pacer.pace(interval, github.lastRateLimit(), now, 2 * request.count() + 10);
      sleep(min(pace, Duration.between(now, deadline)));
      interval = pacer.grow(interval);
    }
  }

  private void afterContainerStopped(RunnerSlot slot, ContainerStatus status) {
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
    afterFailure(slot, kind, reason);
  }

  /** The batch's runners by lower-cased name, from one list call; empty when GitHub could not answer this round. */
  private Optional<Map<String, Runner>> batchRunners() {
    Map<String, Runner> byName = new HashMap<>();
    try {
      for (Runner runner : github.listRunners()) {
        if (runner.hasLabel(batchLabel) || request.registration() == RegistrationMode.TOKEN) {
          byName.put(runner.name().toLowerCase(Locale.ROOT), runner);
        }
      }
    } catch (GitHubApiException e) {
      if (!e.retryable()) {
        throw e;
      }
      LOG.warn("listing runners failed ({}); trying again next round", e.getMessage());
      return Optional.empty();
    }
    return Optional.of(byName);
  }

  private ContainerStatus describe(LaunchedRunner container) {
    try {
      return launcher.describe(container);
    } catch (OneshotException e) {
      if (!e.retryable()) {
        throw e;
      }
      LOG.warn("describing {} failed ({}); trying again next round", container.resourceId(), e.getMessage());
      return ContainerStatus.of(ContainerState.UNRECOGNIZED, "DESCRIBE_FAILED");
    }
  }

  private void timeOut(List<RunnerSlot> slots, Parallel parallel) {
    List<RunnerSlot> late = slots.stream()
        .filter(s -> s.state() == RunnerSlot.State.LAUNCHED || s.state() == RunnerSlot.State.PENDING).toList();
    parallel.forEach(late, slot -> {
      String reason = "not online within " + request.onlineTimeout().toSeconds() + " s"
          + " (attempt " + slot.attempts() + ")";
      deregisterQuietly(slot);
      slot.container().ifPresent(c -> terminateQuietly(c, "oneshot: runner not online by the deadline"));
      slot.timedOut(reason);
      events.emit(slot.runnerName(), FleetPhase.TIMED_OUT, reason + "; registration deleted, container terminated");
    });
  }

  private void cleanUpAfterError(List<RunnerSlot> slots) {
    for (RunnerSlot slot : slots) {
      if (slot.state() == RunnerSlot.State.FAILED || slot.state() == RunnerSlot.State.TIMED_OUT) {
        continue;
      }
      deregisterQuietly(slot);
      slot.container().ifPresent(c -> terminateQuietly(c, "oneshot: start failed, cleaning up"));
    }
  }

  private void deregisterQuietly(RunnerSlot slot) {
    if (slot.attempts() == 0) {
      return;
    }
    try {
      registrar.deregister(slot.runnerName(), slot.githubRunnerId());
      events.emit(slot.runnerName(), FleetPhase.DEREGISTERED, "registration deleted");
    } catch (OneshotException e) {
      LOG.warn("could not delete the registration of {}: {}; the sweep will", slot.runnerName(), e.getMessage());
    }
  }

  private void terminateQuietly(LaunchedRunner container, String reason) {
    try {
      launcher.terminate(container, reason);
      events.emit(container.tag(OwnershipTags.RUNNER).orElse(container.resourceId()), FleetPhase.TERMINATED, reason);
    } catch (RuntimeException e) {
      LOG.warn("could not terminate {}: {}; the sweep will", container.resourceId(), e.getMessage());
    }
  }

  private Map<String, String> tags(Registration registration) {
    Instant expires = options.clock().instant().plus(request.maxLifetime());
    Map<String, String> tags = new HashMap<>(Map.of(
        OwnershipTags.OWNER, request.owner(),
        OwnershipTags.LABEL, OwnershipTags.safeValue(batchLabel),
        OwnershipTags.RUNNER, OwnershipTags.safeValue(registration.runnerName()),
        OwnershipTags.GITHUB_ID, registration.githubRunnerId().isPresent()
            ? Long.toString(registration.githubRunnerId().getAsLong()) : "none",
        OwnershipTags.EXPIRES, Long.toString(expires.getEpochSecond())));
    request.workflowRun().ifPresent(run -> tags.put(OwnershipTags.RUN, run));
    return Map.copyOf(tags);
  }

  private static String idempotencyKey(String runnerName, int attempt) {
    String key = runnerName + "-" + attempt;
    return key.length() <= 64 ? key : key.substring(key.length() - 64);
  }

  private static FailureKind kindOf(GitHubApiException e) {
    if (e.rateLimited()) {
      return FailureKind.THROTTLED;
    }
    return e.status() == 401 || e.status() == 403 || e.status() == 404 ? FailureKind.PERMISSION : FailureKind.UNKNOWN;
  }

  private void sleep(Duration duration) {
    try {
      options.sleeper().sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OneshotException("interrupted while waiting for runners to come online", false, e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
