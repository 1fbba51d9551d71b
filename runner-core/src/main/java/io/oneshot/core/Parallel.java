package io.oneshot.core;

import io.oneshot.spi.OneshotException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one function over many items on a small daemon pool and waits for all. Blocks; thread-safe.
 * Work already running is never interrupted: a cloud or GitHub call in flight finishes, so what it
 * created is known.
 */
public final class Parallel implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ExecutorService pool;

  public Parallel(int threads) {
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
   * thrown by any item is rethrown after all have finished. When the calling thread is interrupted,
   * items not started yet are dropped, those running go on, and this throws with the interrupt flag set.
   */
  public <T, R> List<R> map(List<T> items, Function<T, R> work) {
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
        futures.forEach(f -> f.cancel(false));
        throw new OneshotException("interrupted while waiting for parallel fleet tasks", false, e);
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  /** Runs {@code work} on every item, results ignored. */
  public <T> void forEach(List<T> items, java.util.function.Consumer<T> work) {
    map(items, item -> {
      work.accept(item);
      return Boolean.TRUE;
    });
  }

  /**
   * Applies {@code work} to every item and waits at most {@code budget} (real time) for the results,
   * in item order: empty for an item not finished in time or that threw. Interrupts of the calling
   * thread do not cut the wait short; the flag is restored before returning. Items still running go on.
   */
  <T, R> List<Optional<R>> mapWithin(List<T> items, Function<T, R> work, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<Future<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      futures.add(pool.submit(() -> work.apply(item)));
    }
    boolean interrupted = false;
    List<Optional<R>> results = new ArrayList<>(items.size());
    for (Future<R> future : futures) {
      Optional<R> result = Optional.empty();
      while (true) {
        try {
          result = Optional.ofNullable(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException | TimeoutException e) {
          break;
        }
      }
      results.add(result);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return results;
  }

  /**
   * Lets tasks already running (or queued and not cancelled) finish, waiting at most {@code budget}
   * (real time, interrupts ignored and the flag restored); accepts no new work afterwards.
   *
   * @return whether everything finished in time
   */
  public boolean drain(Duration budget) {
    pool.shutdown();
    long deadline = System.nanoTime() + budget.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the pool without interrupting work in flight (daemon threads finish it or die with the JVM). */
  @Override
  public void close() {
    pool.shutdown();
  }
}
