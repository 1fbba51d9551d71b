package io.oneshot.pool;

import io.oneshot.core.FleetOwner;
import io.oneshot.github.GitHubClient;
import io.oneshot.scaleset.ScaleSet;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An autoscaled pool of ephemeral runners behind one GitHub runner scale set: what {@code oneshot serve}
 * runs, and what an embedder starts and closes. {@link #start()} checks the configuration against GitHub
 * (runner group, labels) and creates or updates the scale set, then runs the loop ({@link PoolLoop}) on a
 * thread of its own: jobs queued for the scale set get containers through the given
 * {@link RunnerLauncher}, idle runners go when the jobs are done, and a janitor removes what is left over.
 * Two pools on one scale set are safe: only the one holding the scale set's session acts; the other waits
 * and takes over. {@link #close()} stops launching, deletes the session and returns.
 *
 * <p>The pool's containers carry their own owner tag ({@link #owner(GitHubClient, RunnerLauncher, String)}),
 * so {@code oneshot sweep} and batches started by {@code oneshot start} never touch them, nor they those.
 * The launcher and the GitHub client are the caller's: closing the pool closes neither. Thread-safe.
 */
public final class RunnerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerPool.class);
  /** How long {@link #close()} waits for a step in progress (a launch round) before deleting the session. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

  private final PoolLoop loop;
  private final Sleeper sleeper;
  private final String owner;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Thread thread;
  private boolean closed;

  private RunnerPool(Builder builder) {
    this.owner = owner(builder.github, builder.launcher, builder.settings.scaleSetName());
    ScaleSetClient client = builder.scaleSetClient != null ? builder.scaleSetClient
        : ScaleSetClient.builder().github(builder.github).clock(builder.clock).build();
    this.loop = new PoolLoop(client, builder.launcher, builder.settings, owner, builder.clock, builder.random,
        builder.listener);
    this.sleeper = builder.sleeper;
  }

  /** A builder; github, launcher and settings are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The owner tag value of a pool's containers: the fleet owner identity of the GitHub scope on the
   * launcher's scope, plus the scale set, made tag-safe ({@link OwnershipTags#uniqueValue}). Pure.
   */
  public static String owner(GitHubClient github, RunnerLauncher launcher, String scaleSetName) {
    return OwnershipTags.uniqueValue(FleetOwner.identity(github.scope(), launcher) + "#scale-set/" + scaleSetName);
  }

  /** The owner tag value of this pool's containers. */
  public String owner() {
    return owner;
  }

  /**
   * Checks the configuration with GitHub, gets or creates the scale set, and starts the loop on its own
   * thread. Blocks for the checks only. Not idempotent: call once.
   *
   * @throws io.oneshot.spi.InvalidSettingsException naming the setting GitHub refused (runner-group, labels)
   */
  public synchronized ScaleSet start() {
    if (thread != null || closed) {
      throw new IllegalStateException("a pool starts once");
    }
    ScaleSet scaleSet = loop.prepare();
    thread = new Thread(this::run, "oneshot-pool-" + scaleSet.name());
    thread.setDaemon(true);
    thread.start();
    return scaleSet;
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Duration wait = loop.step();
        if (!wait.isZero() && !wait.isNegative()) {
          sleeper.sleep(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the serve loop stopped on an unexpected error", e);
    } finally {
      stopped.countDown();
    }
  }

  /** Blocks until the pool has been closed (or its loop ended). */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Waits at most {@code timeout} for the loop to end; returns whether it has (closed, or stopped on an error). */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether this pool holds the scale set's session (launches and removes) rather than standing by. */
  public boolean leader() {
    return loop.leader();
  }

  /** When the loop last finished a step without an error (a poll, a reconcile, a standby check). */
  public Optional<Instant> lastStepAt() {
    return loop.lastStepAt();
  }

  /** The scale set, once started. */
  public Optional<ScaleSet> scaleSet() {
    return Optional.ofNullable(loop.scaleSet());
  }

  /**
   * Stops launching and removing, waits for the step in progress (a long poll ends at once, a launch round
   * finishes so nothing is left launched half-way), then deletes the session so a standby replica can take
   * over. Runners keep running their jobs. Blocks up to about 20 s. Idempotent.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = thread;
    }
    loop.stop();
    if (running != null) {
      running.interrupt();
      try {
        if (!stopped.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("the serve loop did not end within {}; deleting the session anyway", CLOSE_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      stopped.countDown();
    }
    loop.closeSession();
  }

  /** Collects a pool's parts. Not thread-safe. */
  public static final class Builder {
    private GitHubClient github;
    private ScaleSetClient scaleSetClient;
    private RunnerLauncher launcher;
    private PoolSettings settings;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Random random = new Random();
    private PoolListener listener = PoolListener.NONE;

    private Builder() {}

    /** The GitHub client of the scope the scale set lives in (a repository, an organization or an enterprise). */
    public Builder github(GitHubClient github) {
      this.github = github;
      return this;
    }

    /** The scale-set client to use instead of one built from the GitHub client (shorter timeouts in tests). */
    public Builder scaleSetClient(ScaleSetClient scaleSetClient) {
      this.scaleSetClient = scaleSetClient;
      return this;
    }

    /** The launcher, created for starting runners ({@code LauncherPurpose.START}). */
    public Builder launcher(RunnerLauncher launcher) {
      this.launcher = launcher;
      return this;
    }

    public Builder settings(PoolSettings settings) {
      this.settings = settings;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How the loop waits between steps (standby, backoff); tests pass one that does not sleep long. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Builder random(Random random) {
      this.random = random;
      return this;
    }

    public Builder listener(PoolListener listener) {
      this.listener = listener;
      return this;
    }

    public RunnerPool build() {
      Objects.requireNonNull(github, "github");
      Objects.requireNonNull(launcher, "launcher");
      Objects.requireNonNull(settings, "settings");
      return new RunnerPool(this);
    }
  }

  /** For tests in this package: the loop, to step it by hand. */
  PoolLoop loop() {
    return loop;
  }
}
