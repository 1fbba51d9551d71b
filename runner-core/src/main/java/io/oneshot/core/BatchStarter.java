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
import io.oneshot.spi.RunnerLauncher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plan → register → launch (in parallel) → wait for one batch. A container that stops before its
 * runner is online is deregistered and, when the failure is retryable, replaced after a backoff with a
 * fresh registration and the next capacity option; runners not online by the deadline are deregistered
 * and terminated. A runner that GitHub says is running a job is never terminated. Anything that throws
 * after the first registration cleans up the whole batch; a cancel ({@link StartCancellation}) or an
 * interrupt launches nothing new, cleans up within the cancel budget and throws
 * {@link StartCancelledException}. Blocks until done; one instance per call.
 */
final class BatchStarter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchStarter.class);
  /** The most cleanup calls in flight after a cancel: the budget is short. */
  private static final int CLEANUP_THREADS = 32;
  /** How long cleaning up after an unexpected error may take; there is no step deadline to meet. */
  private static final Duration ERROR_CLEANUP_BUDGET = Duration.ofMinutes(2);
  /**
   * How many pages a listing of the whole scope is assumed to take before one tells: up to that many runners
   * are looked up by name instead, so a small batch costs at most this many calls a round in a scope of any size.
   */
  private static final int UNKNOWN_SCOPE_PAGES = 5;
  /** Runners per page of GitHub's list (the client asks for 100). */
  private static final int LIST_PAGE_SIZE = 100;

  private final GitHubClient github;
  private final RunnerLauncher launcher;
  private final FleetOptions options;
  private final FleetRequest request;
  private final StartCancellation cancellation;
  private final NameGenerator names;
  private final EventSink events;
  private final RunnerRelease release;
  private final RetryBackoff backoff;
  private final String batchLabel;
  private final Instant deadline;
  private final Set<Thread> pausing = new HashSet<>();
  private volatile boolean stopping;
  private boolean returned;
  private volatile long cancelledAtNanos;
  private Thread caller;
  private Registrar registrar;
  /** Pages a listing of every runner in the scope takes; a guess until the wait lists them once. */
  private volatile int listPagesEstimate = UNKNOWN_SCOPE_PAGES;

  BatchStarter(GitHubClient github, RunnerLauncher launcher, FleetOptions options, FleetRequest request,
      StartCancellation cancellation) {
    this.github = github;
    this.launcher = launcher;
    this.options = options;
    this.request = request;
    this.cancellation = cancellation;
    this.names = new NameGenerator(options.random());
    this.events = new EventSink(options.clock(), options.listeners());
    this.release = new RunnerRelease(launcher, events);
    this.backoff = new RetryBackoff(options.random());
    this.batchLabel = names.batchLabel(request.prefix());
    this.deadline = events.started().plus(request.onlineTimeout());
  }

  BatchResult start() {
    caller = Thread.currentThread();
    List<RunnerSlot> slots = List.of();
    try {
      if (!cancellation.begin(this::onCancel)) {
        throw cancelled(slots, null);
      }
      events.emit(batchLabel, FleetPhase.PLANNED, request.count() + " runner(s) planned");
      List<String> labels = RunnerLabels.forRunner(request.architecture(), request.prefix(), request.labels(),
          batchLabel, request.workflowRun(), request.owner());
      try {
        throwIfCancelled();
        registrar = Registrar.prepare(github, request, labels, options.clock());
        throwIfCancelled();
      } catch (RuntimeException e) {
        if (cancelRequested()) {
          throw cancelled(slots, null);
        }
        throw e;
      }
      slots = IntStream.range(0, request.count())
          .mapToObj(i -> new RunnerSlot(names.runnerName(request.prefix()))).toList();
      return run(slots);
    } finally {
      synchronized (pausing) {
        returned = true;
      }
      cancellation.finished();
    }
  }

  private BatchResult run(List<RunnerSlot> slots) {
    Parallel parallel = new Parallel(Math.min(request.count(), options.parallelism()));
    try {
      parallel.forEach(slots, slot -> attempt(slot, 0));
      throwIfCancelled();
      if (request.waitForOnline()) {
        waitForOnline(slots, parallel);
      }
      if (!cancellation.completeUnlessCancelled()) {
        throw new Cancelled();
      }
      return new BatchResult(batchLabel, slots.stream().map(s -> s.outcome(request.waitForOnline())).toList());
    } catch (RuntimeException e) {
      if (cancelRequested()) {
        throw cancelled(slots, parallel);
      }
      cleanUpAfterError(slots);
      throw e;
    } finally {
      parallel.close();
    }
  }

  /** Runs on the cancelling thread: stop launching, wake every waiter. */
  private void onCancel() {
    cancelledAtNanos = System.nanoTime();
    stopping = true;
    synchronized (pausing) {
      if (returned) {
        return;
      }
      pausing.forEach(Thread::interrupt);
      caller.interrupt();
    }
  }

  private boolean cancelRequested() {
    return stopping || cancellation.isCancelled() || Thread.currentThread().isInterrupted();
  }

  private void throwIfCancelled() {
    if (cancelRequested()) {
      throw new Cancelled();
    }
  }

  /**
   * The cancel path: launches in flight finish, then every runner with a registration or container is
   * released in parallel within the budget. The interrupt flag is cleared for the cleanup, and restored
   * afterwards when it came from outside (a {@code Future.cancel(true)}), not from the token.
   */
  private StartCancelledException cancelled(List<RunnerSlot> slots, Parallel running) {
    long since = cancelledAtNanos != 0 ? cancelledAtNanos : System.nanoTime();
    stopping = true;
    boolean interruptedFromOutside;
    synchronized (pausing) {
      pausing.forEach(Thread::interrupt);
      interruptedFromOutside = Thread.interrupted() && !cancellation.isCancelled();
    }
    Duration budget = options.cancelBudget();
    List<RunnerSlot> created = slots.stream().filter(RunnerSlot::holdsResources).toList();
    events.emit(batchLabel, FleetPhase.CANCELLED, "start cancelled; cleaning up " + created.size()
        + " runner(s) within " + Durations.format(budget));
    if (running != null) {
      running.drain(remaining(since, budget));
      created = slots.stream().filter(RunnerSlot::holdsResources).toList();
    }
    List<StoppedRunner> report = releaseAll(created, remaining(since, budget), "oneshot: start cancelled");
    Thread.interrupted();
    if (interruptedFromOutside) {
      caller.interrupt();
    }
    return new StartCancelledException(new StopReport(batchLabel, report));
  }

  private static Duration remaining(long sinceNanos, Duration budget) {
    long left = budget.toNanos() - (System.nanoTime() - sinceNanos);
    return Duration.ofNanos(Math.max(left, Duration.ofMillis(100).toNanos()));
  }

  /**
   * Releases the slots in parallel on fresh pool threads (never the caller's, which may be interrupted),
   * waiting at most {@code budget}; runners GitHub says are busy are left alone and counted online.
   */
  private List<StoppedRunner> releaseAll(List<RunnerSlot> slots, Duration budget, String reason) {
    List<RunnerSlot> live = slots.stream()
        .filter(s -> s.state() != RunnerSlot.State.FAILED && s.state() != RunnerSlot.State.TIMED_OUT
            && s.holdsResources())
        .toList();
    if (live.isEmpty()) {
      return List.of();
    }
    List<Optional<StoppedRunner>> done;
    try (Parallel cleanup = new Parallel(Math.min(live.size(), Math.max(options.parallelism(), CLEANUP_THREADS)))) {
      done = cleanup.mapWithin(live, slot -> releaseSlot(slot, reason), budget);
    }
    List<StoppedRunner> report = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      RunnerSlot slot = live.get(i);
      report.add(done.get(i).orElseGet(() -> new StoppedRunner(slot.runnerName(), slot.githubRunnerId(),
          slot.container().map(LaunchedRunner::resourceId), StopAction.NOT_FINISHED,
          "cleanup not finished within " + Durations.format(budget) + "; the stop step or the sweep finishes it")));
    }
    return report;
  }

  /** Deregisters the slot's runner and terminates its container, unless it is running a job. */
  private StoppedRunner releaseSlot(RunnerSlot slot, String reason) {
    StoppedRunner released = release.release(slot.runnerName(), slot.githubRunnerId(),
        Optional.of(() -> registrar.deregister(slot.runnerName(), slot.githubRunnerId())), slot.container(),
        false, reason);
    if (released.action() == StopAction.LEFT_BUSY) {
      slot.online(events.elapsed());
    }
    return released;
  }

  /** Registers and launches one container for the slot; on a failure, retries or gives up. Launches nothing once stopping. */
  private void attempt(RunnerSlot slot, int capacityOption) {
    if (stopping) {
      return;
    }
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
    if (stopping) {
      return; // registered, not launched: the cancel path deletes the registration
    }
    LaunchSpec spec = new LaunchSpec(registration.runnerName(), registration.labels(), registration.credential(),
        request.extraEnv(), request.maxLifetime(), request.idleTimeout(), tags(registration),
        idempotencyKey(registration.runnerName(), slot.attempts()), capacityOption);
    try {
      LaunchedRunner container = launcher.launch(spec);
      slot.launched(container);
      events.emit(slot.runnerName(), FleetPhase.LAUNCHED, container.resourceId());
    } catch (LaunchFailedException e) {
      afterFailure(slot, e.kind(), e.kind().retryable(), "launch refused: " + e.getMessage());
    } catch (OneshotException | IllegalArgumentException e) {
      afterFailure(slot, FailureKind.UNKNOWN, false, "launch failed: " + e.getMessage());
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

  /**
   * Releases the failed attempt (a runner GitHub says is busy is left running and counts as online),
   * then, when {@code retryable} and attempts and time remain, waits a backoff and tries again.
   */
  private void afterFailure(RunnerSlot slot, FailureKind kind, boolean retryable, String reason) {
    StoppedRunner released = releaseSlot(slot, "oneshot: runner failed before online");
    if (released.action() == StopAction.LEFT_BUSY) {
      events.emit(slot.runnerName(), FleetPhase.ONLINE, "running a job although its launch looked failed; left alone");
      return;
    }
    slot.released();
    if (retryable && slot.attempts() < request.maxAttemptsPerRunner() && !stopping) {
      int next = kind == FailureKind.CAPACITY
          ? Math.min(slot.capacityOption() + 1, launcher.capabilities().capacityOptions() - 1)
          : slot.capacityOption();
      Duration wait = backoff.delay(slot.attempts());
      if (!options.clock().instant().plus(wait).isBefore(deadline)) {
        giveUp(slot, kind, reason + "; no time left before the deadline to retry");
        return;
      }
      events.emit(slot.runnerName(), FleetPhase.RETRYING, kind + ": " + reason + "; attempt "
          + (slot.attempts() + 1) + " of " + request.maxAttemptsPerRunner() + " with capacity option " + next
          + " in " + Durations.format(wait));
      if (!pause(wait)) {
        giveUp(slot, kind, reason + "; not retried: the start was cancelled");
        return;
      }
      attempt(slot, next);
      return;
    }
    giveUp(slot, kind, reason);
  }

  /**
   * A runner started a job while its batch was still being waited for, so not a job of the batch (its label is
   * handed out only after the wait): a foreign job the run binding refuses, or a job of the run that asked for
   * {@code self-hosted} alone. The runner is that job's now: it is left alone (never stopped under a job; an
   * ephemeral runner ends with its job and the sweep or the expiry tag catches its container), and the slot gets a
   * fresh runner so the batch keeps its count.
   */
  private void replaceTaken(RunnerSlot slot) {
    String taken = slot.runnerName() + slot.container().map(c -> " (" + c.resourceId() + ")").orElse("");
    slot.released();
    events.emit(slot.runnerName(), FleetPhase.RETRYING, "took a job before the batch was handed out; left to that"
        + " job, a fresh runner replaces it (attempt " + (slot.attempts() + 1) + " of "
        + request.maxAttemptsPerRunner() + ")");
    LOG.info("runner {} took a job before its batch was handed out; launching a replacement", taken);
    attempt(slot, slot.capacityOption());
  }

  private void giveUp(RunnerSlot slot, FailureKind kind, String reason) {
    slot.failed(kind, reason);
    events.emit(slot.runnerName(), FleetPhase.FAILED, kind + ": " + reason);
  }

  /**
   * Waits on a launch thread, woken by a cancel.
   *
   * @return false when the start is stopping (cancelled) instead
   */
  private boolean pause(Duration duration) {
    synchronized (pausing) {
      if (stopping) {
        return false;
      }
      pausing.add(Thread.currentThread());
    }
    boolean woken = false;
    try {
      options.sleeper().sleep(duration);
    } catch (InterruptedException e) {
      woken = true;
    } finally {
      synchronized (pausing) {
        pausing.remove(Thread.currentThread());
        woken |= Thread.interrupted();
      }
    }
    return !woken && !stopping;
  }

  /**
   * Polls until no slot is launched-and-waiting or the deadline: each round one {@code describeAll} for
   * the waiting containers and, for those past pending, one GitHub lookup ({@link #sightings}), then
   * {@link WaitDecision#decide} per runner, then applies the decisions (failures in parallel: they may
   * retry). Returns the moment the last runner is settled. Polls every {@link FleetOptions#initialPollInterval()}
   * for {@link PollPacer#FAST_PHASE} after the launch and after a container is first seen running, growing towards
   * {@link FleetOptions#maxPollInterval()} otherwise; the GitHub rate-limit budget may slow either.
   */
  private void waitForOnline(List<RunnerSlot> slots, Parallel parallel) {
    PollPacer pacer = new PollPacer(options.initialPollInterval(), options.maxPollInterval());
    Duration interval = pacer.first();
    // Fast from the launch too: a container may run within a second (Cloud Run, ACI, a warm Fargate), and rounds
    // while every container is pending cost GitHub nothing.
    Instant fastUntil = options.clock().instant().plus(PollPacer.FAST_PHASE);
    while (true) {
      throwIfCancelled();
      List<RunnerSlot> waiting = slots.stream().filter(s -> s.state() == RunnerSlot.State.LAUNCHED).toList();
      if (waiting.isEmpty()) {
        return;
      }
      List<ContainerStatus> statuses = describeAll(waiting);
      List<WaitDecision.Sighting> seen = sightings(waiting, statuses, parallel);
      Instant roundAt = options.clock().instant();
      List<RunnerSlot> failedNow = new ArrayList<>();
      List<WaitDecision.Failed> failures = new ArrayList<>();
      List<RunnerSlot> taken = new ArrayList<>();
      boolean late = false;
      for (int i = 0; i < waiting.size(); i++) {
        RunnerSlot slot = waiting.get(i);
        ContainerStatus status = statuses.get(i);
        slot.learnPrivateIp(status.privateIp());
        WaitDecision decision = WaitDecision.decide(slot.view(), status, seen.get(i), roundAt, deadline);
        if (decision instanceof WaitDecision.Online online && online.busy() && request.replaceTakenRunners()
            && slot.attempts() < request.maxAttemptsPerRunner() && !stopping) {
          taken.add(slot);
        } else if (decision instanceof WaitDecision.Online online) {
          slot.online(events.elapsed());
          events.emit(slot.runnerName(), FleetPhase.ONLINE, online.busy() ? "online and already running a job"
              : "online in GitHub");
        } else if (decision instanceof WaitDecision.OnlineAfterJob) {
          slot.online(events.elapsed());
          events.emit(slot.runnerName(), FleetPhase.ONLINE, "ran a job and exited before a poll saw it online");
        } else if (decision instanceof WaitDecision.Failed failed) {
          failedNow.add(slot);
          failures.add(failed);
        } else if (decision instanceof WaitDecision.FirstRunning) {
          slot.reportedRunning();
          events.emit(slot.runnerName(), FleetPhase.RUNNING, "container running, waiting for the runner");
          // Its runner comes online within seconds: look often until then.
          fastUntil = roundAt.plus(PollPacer.FAST_PHASE);
        } else if (decision instanceof WaitDecision.TimedOut) {
          late = true; // released below with every other slot not online by the deadline
        }
      }
      List<Integer> indexes = IntStream.range(0, failedNow.size()).boxed().toList();
      parallel.forEach(indexes, i -> afterFailure(failedNow.get(i), failures.get(i).kind(),
          failures.get(i).retryable(), failures.get(i).reason()));
      parallel.forEach(taken, this::replaceTaken);
      List<RunnerSlot> stillWaiting = slots.stream().filter(s -> s.state() == RunnerSlot.State.LAUNCHED).toList();
      if (stillWaiting.isEmpty()) {
        return; // the last runner is settled: no sleep after it (a retry just launched keeps us waiting)
      }
      Instant now = options.clock().instant();
      if (late || !now.isBefore(deadline)) {
        timeOut(slots, parallel);
        return;
      }
      // Keep enough budget to deregister every runner of the batch, and a little more. While every container is
      // pending a round asks GitHub nothing, so the budget has no say in how often the cloud is looked at.
      int reserve = 2 * request.count() + 10;
      boolean fast = now.isBefore(fastUntil);
      boolean asksGitHub = IntStream.range(0, waiting.size())
          .anyMatch(i -> statuses.get(i).state() != ContainerState.PENDING);
      Duration pace = !asksGitHub ? (fast ? pacer.first() : interval)
          : fast ? pacer.paceFast(github.lastRateLimit(), now, fastUntil, reserve,
              githubCallsPerRound(stillWaiting.size()))
          : pacer.pace(interval, github.lastRateLimit(), now, reserve);
      sleep(min(pace, Duration.between(now, deadline)));
      throwIfCancelled();
      interval = pacer.grow(fast ? pacer.first() : interval); // after the fast phase, back off from there
    }
  }

  /** What a GitHub lookup for this many runners costs at most, as {@link #sightings} chooses it. */
  private int githubCallsPerRound(int runners) {
    return runners <= listPagesEstimate ? runners : listPagesEstimate;
  }

  /**
   * What GitHub says this round about each waiting runner whose container is past pending (a runner cannot be
   * online before its container runs, so a round where every container is pending spares GitHub's budget). When
   * there are no more of those runners than a listing of the whole scope has pages (assumed
   * {@value #UNKNOWN_SCOPE_PAGES} until one listing tells), each is looked up by name ({@code ?name=}, in
   * parallel); otherwise the scope is listed once. A retryable GitHub error is no answer this round, for the
   * runners that lookup covered.
   */
  private List<WaitDecision.Sighting> sightings(List<RunnerSlot> waiting, List<ContainerStatus> statuses,
      Parallel parallel) {
    List<Integer> asked = IntStream.range(0, waiting.size())
        .filter(i -> statuses.get(i).state() != ContainerState.PENDING).boxed().toList();
    List<WaitDecision.Sighting> seen = new ArrayList<>(waiting.size());
    waiting.forEach(slot -> seen.add(new WaitDecision.Sighting.NotListed()));
    if (asked.isEmpty()) {
      return seen;
    }
    if (asked.size() <= listPagesEstimate) {
      List<Optional<Map<String, Runner>>> named = parallel.map(asked,
          i -> listed(() -> boundToDeadline().listRunnersNamed(waiting.get(i).runnerName())));
      for (int j = 0; j < asked.size(); j++) {
        int i = asked.get(j);
        seen.set(i, WaitDecision.Sighting.of(named.get(j), waiting.get(i).runnerName().toLowerCase(Locale.ROOT)));
      }
      return seen;
    }
    Optional<Map<String, Runner>> all = listed(() -> {
      List<Runner> runners = boundToDeadline().listRunners();
      listPagesEstimate = Math.max(1, (runners.size() + LIST_PAGE_SIZE - 1) / LIST_PAGE_SIZE);
      return runners;
    });
    for (int i : asked) {
      seen.set(i, WaitDecision.Sighting.of(all, waiting.get(i).runnerName().toLowerCase(Locale.ROOT)));
    }
    return seen;
  }

  /** The GitHub client bound to the start deadline: a rate-limit wait that would end past it fails fast (retryable). */
  private GitHubClient boundToDeadline() {
    return github.withDeadline(deadline);
  }

  /** The batch's runners among {@code listing} by lower-cased name; empty when GitHub could not answer. */
  private Optional<Map<String, Runner>> listed(Supplier<List<Runner>> listing) {
    Map<String, Runner> byName = new HashMap<>();
    try {
      for (Runner runner : listing.get()) {
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

  /**
   * One look at every waiting container, with one {@link RunnerLauncher#describeAll} call (the backend
   * batches it); a retryable failure is no answer this round for all of them.
   */
  private List<ContainerStatus> describeAll(List<RunnerSlot> waiting) {
    List<LaunchedRunner> containers = waiting.stream().map(slot -> slot.container().orElseThrow()).toList();
    List<ContainerStatus> statuses;
    try {
      statuses = launcher.describeAll(containers);
    } catch (OneshotException e) {
      if (!e.retryable()) {
        throw e;
      }
      LOG.warn("describing {} container(s) failed ({}); trying again next round", containers.size(), e.getMessage());
      return containers.stream().map(c -> ContainerStatus.of(ContainerState.UNRECOGNIZED, "DESCRIBE_FAILED")).toList();
    }
    if (statuses.size() != containers.size()) {
      throw new OneshotException("the " + containers.get(0).backendId() + " launcher described " + statuses.size()
          + " of " + containers.size() + " containers; describeAll must answer one status per container, in order",
          false);
    }
    return statuses;
  }

  /** Releases every runner not online by the deadline; one that took a job just now is left running, online. */
  private void timeOut(List<RunnerSlot> slots, Parallel parallel) {
    List<RunnerSlot> late = slots.stream()
        .filter(s -> s.state() == RunnerSlot.State.LAUNCHED || s.state() == RunnerSlot.State.PENDING).toList();
    parallel.forEach(late, slot -> {
      String reason = "not online within " + request.onlineTimeout().toSeconds() + " s"
          + " (attempt " + slot.attempts() + ")";
      if (!slot.holdsResources()) {
        slot.timedOut(reason);
        events.emit(slot.runnerName(), FleetPhase.TIMED_OUT, reason);
        return;
      }
      StoppedRunner released = releaseSlot(slot, "oneshot: runner not online by the deadline");
      if (released.action() == StopAction.LEFT_BUSY) {
        events.emit(slot.runnerName(), FleetPhase.ONLINE, "took a job at the deadline; left running");
        return;
      }
      slot.released();
      slot.timedOut(reason);
      events.emit(slot.runnerName(), FleetPhase.TIMED_OUT, reason + "; " + released.detail());
    });
  }

  /** After an unexpected error: releases everything the batch created, busy runners excepted. */
  private void cleanUpAfterError(List<RunnerSlot> slots) {
    Thread.interrupted();
    releaseAll(slots, ERROR_CLEANUP_BUDGET, "oneshot: start failed, cleaning up");
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

  /** The wait loop's sleep on the caller's thread; an interrupt (a cancel) ends it and the start. */
  private void sleep(Duration duration) {
    try {
      options.sleeper().sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    }
  }

  /** Thrown inside the starter when a cancel or an interrupt is noticed; never leaves it. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("start cancelled", null, false, false);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
