package io.oneshot.pool;

import java.util.Comparator;
import java.util.List;

/**
 * What one reconcile does: launch {@code toLaunch} runners, or remove these idle ones. Never both; never a
 * busy or booting runner (a booting one is removed, if still unwanted, once it is idle). Pure; immutable.
 *
 * @param desired the runners wanted
 * @param live the runners counted (booting, idle, busy)
 * @param toLaunch how many to launch
 * @param toRemove the idle runners to remove, oldest first
 */
public record ScalePlan(int desired, int live, int toLaunch, List<PoolRunner> toRemove) {
  public ScalePlan {
    toRemove = List.copyOf(toRemove);
  }

  /** The plan that brings {@code snapshot} to {@code desired} live runners. */
  public static ScalePlan of(PoolSnapshot snapshot, int desired) {
    int live = snapshot.live();
    if (desired >= live) {
      return new ScalePlan(desired, live, desired - live, List.of());
    }
    List<PoolRunner> idle = snapshot.in(RunnerState.IDLE).stream()
        .sorted(Comparator.comparing(PoolRunner::since)).limit(live - desired).toList();
    return new ScalePlan(desired, live, 0, idle);
  }
}
