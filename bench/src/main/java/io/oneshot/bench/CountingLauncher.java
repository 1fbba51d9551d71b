package io.oneshot.bench;

import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the cloud calls a launcher receives (what a real backend would send to ECS, Cloud Run or ACI) and passes
 * each on unchanged. A batched {@link #describeAll} counts as one call, as one ECS DescribeTasks answers up to 100
 * tasks. Calls that fail are counted too. Thread-safe.
 */
final class CountingLauncher implements RunnerLauncher {
  private final RunnerLauncher delegate;
  private final AtomicInteger launches = new AtomicInteger();
  private final AtomicInteger lists = new AtomicInteger();
  private final AtomicInteger describes = new AtomicInteger();
  private final AtomicInteger terminates = new AtomicInteger();

  CountingLauncher(RunnerLauncher delegate) {
    this.delegate = delegate;
  }

  /** The counts so far: launch, list, describe (single and batched), terminate, in that order. */
  Map<String, Integer> counts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put("launch", launches.get());
    out.put("list", lists.get());
    out.put("describe", describes.get());
    out.put("terminate", terminates.get());
    return out;
  }

  @Override
  public LaunchedRunner launch(LaunchSpec spec) {
    launches.incrementAndGet();
    return delegate.launch(spec);
  }

  @Override
  public ContainerStatus describe(LaunchedRunner runner) {
    describes.incrementAndGet();
    return delegate.describe(runner);
  }

  @Override
  public List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    describes.incrementAndGet();
    return delegate.describeAll(runners);
  }

  @Override
  public void terminate(LaunchedRunner runner, String reason) {
    terminates.incrementAndGet();
    delegate.terminate(runner, reason);
  }

  @Override
  public List<LaunchedRunner> listOwned(String owner) {
    lists.incrementAndGet();
    return delegate.listOwned(owner);
  }

  @Override
  public String scopeKey() {
    return delegate.scopeKey();
  }

  @Override
  public boolean keepsFinishedContainers() {
    return delegate.keepsFinishedContainers();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
