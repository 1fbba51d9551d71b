package io.oneshot.pool;

import io.oneshot.scaleset.RunnerRemoval;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes one runner the safe way round: the registration first, so GitHub gives it no job any more, and
 * only then the container. A registration GitHub says is running a job is kept, container and all,
 * unless the runner is past its maximum lifetime. A registration already gone counts as removed; a
 * container is only stopped when it still runs or when the cloud keeps finished ones. Blocks for up to
 * two API calls; idempotent; thread-safe.
 */
final class RunnerRemover {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerRemover.class);
  private final ScaleSetClient client;
  private final RunnerLauncher launcher;
  private final PoolListener listener;

  RunnerRemover(ScaleSetClient client, RunnerLauncher launcher, PoolListener listener) {
    this.client = client;
    this.launcher = launcher;
    this.listener = listener;
  }

  /** Removes the runner; false when it was kept (busy) or a call failed (the next pass tries again). */
  boolean remove(PoolRunner runner, RemovalReason reason) {
    try {
      if (runner.registration().isPresent() && runner.githubRunnerId().isPresent()) {
        RunnerRemoval removal = client.removeRunner(runner.githubRunnerId().getAsLong());
        if (removal == RunnerRemoval.JOB_STILL_RUNNING && reason != RemovalReason.MAX_LIFETIME) {
          LOG.info("runner {} is running a job; kept ({} skipped)", runner.name(), reason.label());
          return false;
        }
      }
      boolean stopContainer = runner.status().map(s -> !s.state().isFinal()).orElse(false)
          || launcher.keepsFinishedContainers();
      if (runner.container().isPresent() && stopContainer) {
        launcher.terminate(runner.container().get(), "oneshot serve: " + reason.label());
      }
      LOG.info("removed runner {} ({})", runner.name(), reason.label());
      listener.removed(runner, reason);
      return true;
    } catch (OneshotException e) {
      LOG.warn("could not remove runner {} ({}): {}", runner.name(), reason.label(), e.getMessage());
      return false;
    }
  }
}
