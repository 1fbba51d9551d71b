package io.oneshot.action;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A launcher being created on a thread of its own ({@link RunnerLauncherProvider#create} builds the cloud's
 * clients and, for a start, resolves the task definition and network: hundreds of milliseconds of class loading
 * and calls) while the run builds its GitHub client. Every method waits for the creation, then delegates; when
 * the creation failed, every method throws {@link Unavailable} with that failure as its cause, which
 * {@link OneshotRun} reports as if {@code create} had thrown it. Thread-safe.
 */
final class DeferredLauncher implements RunnerLauncher {
  private final CompletableFuture<RunnerLauncher> created;

  private DeferredLauncher(CompletableFuture<RunnerLauncher> created) {
    this.created = created;
  }

  /** Starts creating the launcher on a new daemon thread and returns at once. */
  static DeferredLauncher start(RunnerLauncherProvider provider, BackendSettings settings) {
    CompletableFuture<RunnerLauncher> future = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        future.complete(provider.create(settings));
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }, "oneshot-launcher-create");
    thread.setDaemon(true);
    thread.start();
    return new DeferredLauncher(future);
  }

  /** The created launcher, waiting for it. */
  RunnerLauncher launcher() {
    try {
      return created.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OneshotException("interrupted while the launcher was being created", false, e);
    } catch (ExecutionException | CompletionException e) {
      throw new Unavailable(e.getCause());
    }
  }

  @Override
  public LaunchedRunner launch(LaunchSpec spec) {
    return launcher().launch(spec);
  }

  @Override
  public ContainerStatus describe(LaunchedRunner runner) {
    return launcher().describe(runner);
  }

  @Override
  public List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    return launcher().describeAll(runners);
  }

  @Override
  public void terminate(LaunchedRunner runner, String reason) {
    launcher().terminate(runner, reason);
  }

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    return launcher().listOwned(owner);
  }

  @Override
  public Map<LaunchedRunner, ContainerStatus> listOwnedWithStatus(String owner) {
    return launcher().listOwnedWithStatus(owner);
  }

  @Override
  public Capabilities capabilities() {
    return launcher().capabilities();
  }

  @Override
  public String scopeKey() {
    return launcher().scopeKey();
  }

  @Override
  public boolean keepsFinishedContainers() {
    return launcher().keepsFinishedContainers();
  }

  /** Closes the launcher once created; a creation that failed has nothing to close. */
  @Override
  public void close() {
    RunnerLauncher launcher;
    try {
      launcher = created.join();
    } catch (CompletionException | CancellationException e) {
      return;
    }
    launcher.close();
  }

  /** The launcher could not be created; the cause is what {@code create} threw. */
  static final class Unavailable extends RuntimeException {
    Unavailable(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
