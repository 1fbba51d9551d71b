package io.oneshot.fakes;

import java.util.HashMap;
import java.util.Map;

/**
 * Failures an {@link InMemoryLauncher} applies to its next launches, like a cloud would: capacity
 * refused at launch, a capacity option that has no capacity, image pulls that fail, runners that
 * crash before they are online, or never come online. Each planned fault is used once per launch;
 * calls add to the plan. Thread-safe.
 */
public final class InMemoryFaults {
  /** What happens to one launch. */
  enum Fate { NORMAL, REFUSED_CAPACITY, IMAGE_PULL, CRASH_ON_BOOT, NEVER_ONLINE }

  private final Map<Fate, Integer> planned = new HashMap<>();
  private final Map<Integer, Boolean> optionsWithoutCapacity = new HashMap<>();
  private int crashExitCode = 1;

  /** The next {@code times} launches are refused for capacity (as ECS answers with {@code failures[]}). */
  public synchronized InMemoryFaults refuseCapacity(int times) {
    return plan(Fate.REFUSED_CAPACITY, times);
  }

  /** Launches on that capacity option (for example 0 = FARGATE_SPOT) are refused for capacity until cleared. */
  public synchronized InMemoryFaults noCapacityOn(int capacityOption) {
    optionsWithoutCapacity.put(capacityOption, true);
    return this;
  }

  /** The next {@code times} containers stop while pending because their image cannot be pulled. */
  public synchronized InMemoryFaults imagePullFailure(int times) {
    return plan(Fate.IMAGE_PULL, times);
  }

  /** The next {@code times} runners crash (exit 1) while booting, before they are online. */
  public synchronized InMemoryFaults crashBeforeOnline(int times) {
    return crashBeforeOnline(times, 1);
  }

  /** The next {@code times} runners exit with {@code exitCode} while booting, before they are online. */
  public synchronized InMemoryFaults crashBeforeOnline(int times, int exitCode) {
    crashExitCode = exitCode;
    return plan(Fate.CRASH_ON_BOOT, times);
  }

  synchronized int crashExitCode() {
    return crashExitCode;
  }

  /** The next {@code times} runners keep running but never come online. */
  public synchronized InMemoryFaults neverOnline(int times) {
    return plan(Fate.NEVER_ONLINE, times);
  }

  /** Forgets every planned fault. */
  public synchronized void reset() {
    planned.clear();
    optionsWithoutCapacity.clear();
  }

  synchronized Fate next(int capacityOption) {
    if (optionsWithoutCapacity.containsKey(capacityOption)) {
      return Fate.REFUSED_CAPACITY;
    }
    for (Fate fate : Fate.values()) {
      Integer left = planned.get(fate);
      if (left != null && left > 0) {
        planned.put(fate, left - 1);
        return fate;
      }
    }
    return Fate.NORMAL;
  }

  private InMemoryFaults plan(Fate fate, int times) {
    planned.merge(fate, times, Integer::sum);
    return this;
  }
}
