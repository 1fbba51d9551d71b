package io.oneshot.core;

import io.oneshot.spi.OneshotException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs one function over many items on a small daemon pool and waits for all. Blocks; thread-safe. */
final class Parallel implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ExecutorService pool;

  Parallel(int threads) {
    int id = POOLS.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread worker = new Thread(task, "oneshot-fleet-" + id + "-" + thread.incrementAndGet());
      worker.setDaemon(true);
      return worker;
    });
  }

  /**
   * Applies {@code work} to every item and returns the results in item order. The first exception
   * thrown by any item is rethrown after all have finished.
   */
  <T, R> List<R> map(List<T> items, Function<T, R> work) {
    List<Future<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      futures.add(pool.submit(() -> work.apply(item)));
    }
    List<R> results = new ArrayList<>(items.size());
    RuntimeException first = null;
    for (Future<R> future : futures) {
      try {
        results.add(future.get());
      } catch (ExecutionException e) {
        results.add(null);
        if (first == null) {
          first = e.getCause() instanceof RuntimeException runtime ? runtime
              : new OneshotException("a parallel fleet task failed: " + e.getCause(), false, e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(f -> f.cancel(true));
        throw new OneshotException("interrupted while waiting for parallel fleet tasks", false, e);
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  /** Runs {@code work} on every item, results ignored. */
  <T> void forEach(List<T> items, java.util.function.Consumer<T> work) {
    map(items, item -> {
      work.accept(item);
      return Boolean.TRUE;
    });
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
