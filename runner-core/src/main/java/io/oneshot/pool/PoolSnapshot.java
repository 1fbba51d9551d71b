package io.oneshot.pool;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every runner of a pool at one moment, as {@link PoolObserver} judged them. Immutable.
 *
 * @param at when it was taken (the pool's clock)
 * @param runners the runners, containers first in the cloud's order, then registrations without one
 */
public record PoolSnapshot(Instant at, List<PoolRunner> runners) {
  public PoolSnapshot {
    runners = List.copyOf(runners);
  }

  /** How many runners count against the desired number (booting, idle, busy). */
  public int live() {
    return (int) runners.stream().filter(r -> r.state().live()).count();
  }

  /** How many runners are in each state (every state present, zero when none). */
  public Map<RunnerState, Integer> countByState() {
    Map<RunnerState, Integer> counts = new EnumMap<>(RunnerState.class);
    for (RunnerState state : RunnerState.values()) {
      counts.put(state, 0);
    }
    runners.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
    return counts;
  }

  /** The runners in that state. */
  public List<PoolRunner> in(RunnerState state) {
    return runners.stream().filter(r -> r.state() == state).toList();
  }
}
