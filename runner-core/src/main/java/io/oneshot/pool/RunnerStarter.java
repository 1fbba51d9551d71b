package io.oneshot.pool;

import io.oneshot.core.NameGenerator;
import io.oneshot.core.Parallel;
import io.oneshot.core.RetryBackoff;
import io.oneshot.scaleset.ScaleSet;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetException;
import io.oneshot.scaleset.ScaleSetJitConfig;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerLauncher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches pool runners: for each, a JIT config from the scale set under a fresh name, then one container
 * through the backend's {@link RunnerLauncher} with the pool's owner tags and the runner name as the
 * idempotency key. One attempt per runner and reconcile, in parallel; a failure removes the registration
 * it made and closes a gate for a backoff (exponential with full jitter, 1 s doubling to 30 s), so a
 * refused launch is retried by a later reconcile and never holds up the loop. A capacity failure moves
 * later launches to the backend's next capacity option. A lost answer when asking for a JIT config is
 * resolved by removing the runner the lost call made and asking again under a new name. Blocks while its
 * launches run; thread-safe.
 */
final class RunnerStarter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerStarter.class);
  private final ScaleSetClient client;
  private final RunnerLauncher launcher;
  private final PoolSettings settings;
  private final String owner;
  private final Clock clock;
  private final PoolListener listener;
  private final NameGenerator names;
  private final RetryBackoff backoff;
  private final Parallel parallel;
  private int consecutiveFailures;
  private int capacityOption;
  private Instant gateOpensAt = Instant.MIN;

  RunnerStarter(ScaleSetClient client, RunnerLauncher launcher, PoolSettings settings, String owner, Clock clock,
      Random random, PoolListener listener) {
    this.client = client;
    this.launcher = launcher;
    this.settings = settings;
    this.owner = owner;
    this.clock = clock;
    this.listener = listener;
    this.names = new NameGenerator(random);
    this.backoff = new RetryBackoff(random);
    this.parallel = new Parallel(settings.launchParallelism());
  }

  /** When launching may resume after failures; launches asked for earlier are skipped. */
  synchronized Instant gateOpensAt() {
    return gateOpensAt;
  }

  /**
   * Launches up to {@code count} runners into {@code scaleSet}, unless the gate is closed; returns how many
   * the cloud accepted. Checks {@code stopping} before each launch: a runner registered when the pool
   * stops is removed again, never launched.
   */
  int launch(ScaleSet scaleSet, int count, BooleanSupplier stopping) {
    if (count <= 0 || clock.instant().isBefore(gateOpensAt())) {
      return 0;
    }
    int option;
    synchronized (this) {
      option = capacityOption;
    }
    List<Optional<FailureKind>> results = parallel.map(IntStream.range(0, count).boxed().toList(),
        ignored -> launchOne(scaleSet, option, stopping));
    long failed = results.stream().filter(r -> r != null && r.isPresent()).count();
    synchronized (this) {
      if (failed == 0) {
        consecutiveFailures = 0;
      } else {
        consecutiveFailures++;
        Duration wait = backoff.ceiling(consecutiveFailures);
        gateOpensAt = clock.instant().plus(wait);
        if (results.stream().anyMatch(r -> r != null && r.equals(Optional.of(FailureKind.CAPACITY)))) {
          capacityOption = Math.min(capacityOption + 1, launcher.capabilities().capacityOptions() - 1);
        }
        LOG.warn("{} of {} launches failed; launching again after {} (capacity option {})", failed, count, wait,
            capacityOption);
      }
    }
    return (int) (count - failed - Collections.frequency(results, null));
  }

  /** One runner; empty when launched (or skipped because the pool stops), else the failure's kind. */
  private Optional<FailureKind> launchOne(ScaleSet scaleSet, int option, BooleanSupplier stopping) {
    if (stopping.getAsBoolean()) {
      return Optional.empty();
    }
    ScaleSetJitConfig jit;
    try {
      jit = register(scaleSet);
    } catch (ScaleSetException e) {
      return failed(e.retryable() ? FailureKind.THROTTLED : FailureKind.UNKNOWN, "JIT config: " + e.getMessage());
    }
    if (stopping.getAsBoolean()) {
      removeRegistration(jit, "the pool is stopping");
      return Optional.empty();
    }
    LaunchSpec spec = new LaunchSpec(jit.runnerName(), scaleSet.labels(),
        new RunnerCredential.JitConfig(jit.encodedJitConfig()), settings.extraEnv(), settings.maxLifetime(),
        settings.idleTimeout(), tags(jit), jit.runnerName(), option);
    try {
      launchWithOneRetry(spec);
      LOG.info("launched runner {}", jit.runnerName());
      listener.launched(jit.runnerName());
      return Optional.empty();
    } catch (LaunchFailedException e) {
      removeRegistration(jit, "its launch failed");
      return failed(e.kind(), e.getMessage());
    } catch (OneshotException | IllegalArgumentException e) {
      removeRegistration(jit, "its launch failed");
      return failed(e instanceof OneshotException o && o.retryable() ? FailureKind.THROTTLED : FailureKind.UNKNOWN,
          e.getMessage());
    }
  }

  /**
   * A retryable error without an answer may have started the container: the same key asks again safely. Backends
   * report a launch call that got no answer (or a transient error) as a {@link LaunchFailedException} of kind
   * THROTTLED (Cloud Run's RunJob answered UNAVAILABLE), so that kind is asked again too; a refusal (capacity,
   * configuration) is not.
   */
  private void launchWithOneRetry(LaunchSpec spec) {
    try {
      launcher.launch(spec);
    } catch (OneshotException e) {
      boolean refused = e instanceof LaunchFailedException launchFailure
          && launchFailure.kind() != FailureKind.THROTTLED;
      if (refused || !e.retryable()) {
        throw e;
      }
      launcher.launch(spec);
    }
  }

  /**
   * A JIT config under a fresh name. When the call fails, a runner it may still have made (its answer
   * lost) is looked up by name and removed; a lost answer or a name taken is then tried once more.
   */
  private ScaleSetJitConfig register(ScaleSet scaleSet) {
    String name = names.runnerName(scaleSet.name());
    try {
      return client.generateJitConfig(scaleSet.id(), name, settings.workFolder());
    } catch (ScaleSetException e) {
      boolean madeOne = client.getRunnerByName(name).filter(r -> r.scaleSetId() == scaleSet.id())
          .map(r -> {
            client.removeRunner(r.id());
            return true;
          }).orElse(false);
      boolean again = madeOne || e.kind() == ScaleSetException.Kind.RUNNER_EXISTS || e.status() == 0;
      if (!again) {
        throw e;
      }
      LOG.info("asking for a JIT config again under a new name ({}{})", e.kind(),
          madeOne ? "; removed the runner the lost call made" : "");
      return client.generateJitConfig(scaleSet.id(), names.runnerName(scaleSet.name()), settings.workFolder());
    }
  }

  private void removeRegistration(ScaleSetJitConfig jit, String why) {
    try {
      client.removeRunner(jit.runnerId());
    } catch (OneshotException e) {
      LOG.warn("could not remove the registration of {} ({}); the janitor removes it after the grace period: {}",
          jit.runnerName(), why, e.getMessage());
    }
  }

  private Optional<FailureKind> failed(FailureKind kind, String reason) {
    LOG.warn("launch failed ({}): {}", kind, reason);
    listener.launchFailed(kind, reason);
    return Optional.of(kind);
  }

  private Map<String, String> tags(ScaleSetJitConfig jit) {
    return Map.of(
        OwnershipTags.OWNER, owner,
        OwnershipTags.LABEL, OwnershipTags.safeValue(settings.scaleSetName()),
        OwnershipTags.RUNNER, OwnershipTags.safeValue(jit.runnerName()),
        OwnershipTags.GITHUB_ID, Long.toString(jit.runnerId()),
        OwnershipTags.EXPIRES, Long.toString(clock.instant().plus(settings.maxLifetime()).getEpochSecond()));
  }

  @Override
  public void close() {
    parallel.close();
  }
}
