package io.oneshot.pool;

import io.oneshot.core.RetryBackoff;
import io.oneshot.scaleset.JobMessage;
import io.oneshot.scaleset.ScaleSet;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetException;
import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.scaleset.ScaleSetSession;
import io.oneshot.scaleset.ScaleSetSettings;
import io.oneshot.scaleset.ScaleSetStatistics;
import io.oneshot.scaleset.SessionConflictException;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serve loop of one scale set, one {@link #step()} at a time. Without a session it tries to take one;
 * while another replica holds it (409) it stays standby and tries again after the session retry plus
 * jitter. Holding it, a step long-polls for a message, acquires the jobs offered, reconciles
 * ({@link ScalePlan}: desired = clamp(min + assigned jobs, 0, max) against the runners the cloud and the
 * scale set list) and only then acknowledges the message, so a crash in between redelivers it and the
 * recount launches nothing twice. An empty poll reconciles with the last statistics. The message-queue token
 * is renewed ten minutes before it expires (and, should the service refuse it anyway, once on the 401). The
 * janitor runs when the session is taken and every janitor interval. A session the service dropped is created again; a scale
 * set it deleted is created again with the cursor reset. Other failures wait a backoff (1 s doubling to 30 s)
 * before the next step. Only the holder of the session launches or removes anything.
 *
 * <p>Not thread-safe: one thread steps it; {@link #stop()} may be called from another.
 */
final class PoolLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PoolLoop.class);
  /** After this many deliveries of one message whose jobs could not be acquired, it is handled anyway. */
  static final int MAX_DELIVERIES = 5;
  /** The queue token is renewed this long before it expires (a poll is held about 50 s). */
  static final Duration QUEUE_TOKEN_MARGIN = Duration.ofMinutes(10);

  private final ScaleSetClient client;
  private final RunnerLauncher launcher;
  private final PoolSettings settings;
  private final Clock clock;
  private final Random random;
  private final PoolListener listener;
  private final PoolObserver observer;
  private final RunnerStarter starter;
  private final RunnerRemover remover;
  private final RetryBackoff backoff;
  private final JobTimings timings = new JobTimings();
  private final Map<Long, Integer> deliveries = new HashMap<>();
  private volatile boolean stopping;
  private volatile ScaleSetSession session;
  private volatile Instant lastStepAt;
  private ScaleSet scaleSet;
  private long runnerGroupId;
  private long lastMessageId;
  private ScaleSetStatistics lastStatistics = ScaleSetStatistics.EMPTY;
  private Instant nextSessionAttempt = Instant.MIN;
  private Instant nextJanitor = Instant.MIN;
  private Instant nextStep = Instant.MIN;
  private int consecutiveErrors;
  private Boolean leader;

  PoolLoop(ScaleSetClient client, RunnerLauncher launcher, PoolSettings settings, String owner, Clock clock,
      Random random, PoolListener listener) {
    this.client = client;
    this.launcher = launcher;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.listener = listener;
    this.observer = new PoolObserver(launcher, client, owner, clock, settings.registrationGrace());
    this.starter = new RunnerStarter(client, launcher, settings, owner, clock, random, listener);
    this.remover = new RunnerRemover(client, launcher, listener);
    this.backoff = new RetryBackoff(random);
  }

  /**
   * Checks the configuration against GitHub and makes the scale set: the runner group must exist, the
   * scale set is found or created with the labels, and brought in line when its labels differ. Blocks.
   *
   * @throws InvalidSettingsException naming {@code runner-group} or {@code labels} when GitHub refuses them
   */
  ScaleSet prepare() {
    runnerGroupId = client.runnerGroupId(settings.runnerGroup());
    scaleSet = ensureScaleSet();
    return scaleSet;
  }

  private ScaleSet ensureScaleSet() {
    ScaleSetSettings wanted = new ScaleSetSettings(settings.scaleSetName(), runnerGroupId, settings.labels());
    try {
      ScaleSet set = client.getOrCreateScaleSet(wanted);
      LOG.info("scale set {} (id {}) in runner group {} with labels {}", set.name(), set.id(),
          settings.runnerGroup(), set.labels());
      return set;
    } catch (ScaleSetException e) {
      if (e.status() == 400) {
        throw InvalidSettingsException.of("labels", "GitHub refused the scale set " + settings.scaleSetName()
            + " with labels " + wanted.allLabels() + ": " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * One turn of the loop. Returns how long to wait before the next one: zero after a poll, the time to
   * the next session attempt while standby, a backoff after a failure. Blocks for a long poll at most.
   */
  Duration step() {
    Instant now = clock.instant();
    if (stopping) {
      return Duration.ZERO;
    }
    if (now.isBefore(nextStep)) {
      return Duration.between(now, nextStep);
    }
    try {
      if (session == null) {
        if (now.isBefore(nextSessionAttempt)) {
          completed(now);
          return Duration.between(now, nextSessionAttempt);
        }
        if (!takeSession()) {
          completed(now);
          return Duration.between(clock.instant(), nextSessionAttempt);
        }
        janitor();
        reconcile(session.statistics());
        completed(now);
        return Duration.ZERO;
      }
      if (!now.isBefore(nextJanitor)) {
        janitor();
      }
      session.refreshIfExpiringWithin(QUEUE_TOKEN_MARGIN);
      Optional<ScaleSetMessage> message = session.getMessage(lastMessageId, settings.maxRunners());
      if (stopping) {
        return Duration.ZERO;
      }
      if (message.isPresent()) {
        handle(message.get());
      } else {
        reconcile(lastStatistics);
      }
      completed(clock.instant());
      return Duration.ZERO;
    } catch (OneshotException e) {
      return afterError(e);
    } catch (RuntimeException e) {
      // A bug, not the service: the loop goes on after a backoff and /healthz turns unhealthy if it repeats.
      LOG.error("serve step failed unexpectedly", e);
      return afterError(new OneshotException("unexpected " + e.getClass().getSimpleName(), false, e));
    }
  }

  private void completed(Instant at) {
    consecutiveErrors = 0;
    lastStepAt = at;
    listener.stepCompleted(at);
  }

  private boolean takeSession() {
    try {
      session = client.createSession(scaleSet.id(), settings.sessionOwner());
      lastMessageId = 0;
      lastStatistics = session.statistics();
      becomeLeader(true);
      return true;
    } catch (SessionConflictException e) {
      Duration jitter = Duration.ofMillis((long) (random.nextDouble() * settings.sessionRetryJitter().toMillis()));
      nextSessionAttempt = clock.instant().plus(settings.sessionRetry()).plus(jitter);
      becomeLeader(false);
      return false;
    } catch (ScaleSetException e) {
      if (e.kind() == ScaleSetException.Kind.SCALE_SET_NOT_FOUND) {
        recreateScaleSet();
        return false;
      }
      throw e;
    }
  }

  private void becomeLeader(boolean now) {
    if (leader == null || leader != now) {
      if (now) {
        LOG.info("holding the session of scale set {}: this replica launches and removes runners", scaleSet.name());
      } else {
        LOG.info("scale set {} has a session held elsewhere (another replica, or one that died without closing"
            + " it); standby, trying again every {}", scaleSet.name(), settings.sessionRetry());
      }
      leader = now;
      listener.leadership(now);
    }
  }

  private void handle(ScaleSetMessage message) {
    listener.message(message);
    List<Long> available = message.jobs(JobMessage.Type.JOB_AVAILABLE).stream().map(JobMessage::runnerRequestId)
        .toList();
    if (!available.isEmpty()) {
      try {
        session.acquireJobs(available);
      } catch (ScaleSetException e) {
        int delivered = deliveries.merge(message.messageId(), 1, Integer::sum);
        if (e.kind() != ScaleSetException.Kind.OTHER || delivered < MAX_DELIVERIES) {
          throw e; // not acknowledged: delivered again after the backoff (or handled by afterError)
        }
        LOG.warn("could not acquire the jobs of message {} after {} deliveries; handling it anyway: {}",
            message.messageId(), delivered, e.getMessage());
      }
    }
    timings.record(message, clock.instant()).forEach(listener::jobToOnline);
    lastStatistics = message.statistics();
    reconcile(lastStatistics); // tells the listener the statistics
    if (stopping) {
      return; // not acknowledged: whoever holds the session next gets it again
    }
    session.deleteMessage(message.messageId());
    lastMessageId = message.messageId();
    deliveries.remove(message.messageId());
  }

  private void reconcile(ScaleSetStatistics statistics) {
    if (stopping) {
      return;
    }
    listener.statistics(statistics);
    PoolSnapshot snapshot = observer.observe(scaleSet.id());
    int desired = settings.desiredRunners(statistics.totalAssignedJobs());
    listener.observed(snapshot, desired);
    timings.online(snapshot).forEach(listener::jobToOnline);
    ScalePlan plan = ScalePlan.of(snapshot, desired);
    if (plan.toLaunch() > 0) {
      // The message's statistics are older than the look: a job that ended in between is still counted as
      // assigned while its runner is gone, which would launch a runner too many. Statistics read after the look
      // cannot count a job that ended before it (one call per launch round, against two per runner launched).
      ScaleSetStatistics fresh = client.getScaleSet(scaleSet.id()).statistics();
      lastStatistics = fresh;
      listener.statistics(fresh);
      desired = Math.min(desired, settings.desiredRunners(fresh.totalAssignedJobs()));
      plan = ScalePlan.of(snapshot, desired);
    }
    if (plan.toLaunch() > 0) {
      LOG.debug("{} live, {} wanted: launching {}", plan.live(), desired, plan.toLaunch());
      starter.launch(scaleSet, plan.toLaunch(), () -> stopping);
    }
    for (PoolRunner idle : plan.toRemove()) {
      if (stopping) {
        return;
      }
      remover.remove(idle, RemovalReason.SCALE_DOWN);
    }
  }

  private void janitor() {
    nextJanitor = clock.instant().plus(settings.janitorInterval());
    PoolSnapshot snapshot = observer.observe(scaleSet.id());
    for (Janitor.Removal removal : Janitor.plan(snapshot, settings.bootTimeout(), settings.registrationGrace(),
        launcher.keepsFinishedContainers())) {
      if (stopping) {
        return;
      }
      remover.remove(removal.runner(), removal.reason());
    }
  }

  private Duration afterError(OneshotException e) {
    if (stopping) {
      return Duration.ZERO;
    }
    if (e instanceof ScaleSetException failure) {
      switch (failure.kind()) {
        case SESSION_NOT_FOUND, UNAUTHORIZED -> {
          LOG.warn("the service dropped the session of scale set {} ({}); creating a new one", scaleSet.name(),
              failure.getMessage());
          session = null;
          nextSessionAttempt = Instant.MIN;
          return Duration.ZERO;
        }
        case SCALE_SET_NOT_FOUND -> {
          recreateScaleSet();
          return Duration.ZERO;
        }
        default -> { }
      }
    }
    consecutiveErrors++;
    Duration wait = backoff.ceiling(consecutiveErrors);
    nextStep = clock.instant().plus(wait);
    LOG.warn("serve step failed ({}); next try in {}: {}", e.retryable() ? "retryable" : "not retryable", wait,
        e.getMessage());
    return wait;
  }

  private void recreateScaleSet() {
    LOG.warn("scale set {} (id {}) is gone from GitHub (deleted, or removed after a day offline); creating it"
        + " again", scaleSet.name(), scaleSet.id());
    session = null;
    scaleSet = ensureScaleSet();
    lastMessageId = 0;
    nextSessionAttempt = Instant.MIN;
  }

  /** Stops launching and removing; a step in progress returns as soon as its current call does. */
  void stop() {
    stopping = true;
  }

  /**
   * Deletes the session so another replica can take over at once. Call after the stepping thread ended.
   * Idempotent; a failure is logged (the service expires the session later).
   */
  void closeSession() {
    ScaleSetSession held = session;
    session = null;
    starter.close();
    if (held == null) {
      return;
    }
    try {
      held.close();
      LOG.info("deleted the session of scale set {}", scaleSet.name());
    } catch (OneshotException e) {
      LOG.warn("could not delete the session of scale set {}; the service expires it later: {}", scaleSet.name(),
          e.getMessage());
    }
  }

  boolean leader() {
    return session != null;
  }

  Optional<Instant> lastStepAt() {
    return Optional.ofNullable(lastStepAt);
  }

  ScaleSet scaleSet() {
    return scaleSet;
  }

  Instant gateOpensAt() {
    return starter.gateOpensAt();
  }
}
