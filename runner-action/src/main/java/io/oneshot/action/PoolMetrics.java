package io.oneshot.action;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.oneshot.pool.PoolListener;
import io.oneshot.pool.PoolRunner;
import io.oneshot.pool.PoolSnapshot;
import io.oneshot.pool.RemovalReason;
import io.oneshot.pool.RunnerState;
import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.scaleset.ScaleSetStatistics;
import io.oneshot.spi.FailureKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool's metrics in a Micrometer registry (served as Prometheus text by {@link ServeHttp}): jobs by
 * state ({@code oneshot_pool_jobs}), runners by state ({@code oneshot_pool_runners}), the desired count,
 * whether this replica leads, launches, launch failures by kind, removals by reason, the time from a job
 * assigned to a runner online, and messages. Thread-safe; every method returns at once.
 */
public final class PoolMetrics implements PoolListener {
  private final MeterRegistry registry;
  private final AtomicInteger available = new AtomicInteger();
  private final AtomicInteger assigned = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger desired = new AtomicInteger();
  private final AtomicInteger leader = new AtomicInteger();
  private final Map<RunnerState, AtomicInteger> runners = new EnumMap<>(RunnerState.class);
  private final Counter launches;
  private final Counter messages;
  private final Timer jobToOnline;

  public PoolMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("oneshot.pool.jobs", available, AtomicInteger::get).tag("state", "available")
        .description("jobs waiting to be acquired by the scale set").register(registry);
    Gauge.builder("oneshot.pool.jobs", assigned, AtomicInteger::get).tag("state", "assigned")
        .description("jobs assigned to the scale set, waiting or running").register(registry);
    Gauge.builder("oneshot.pool.jobs", running, AtomicInteger::get).tag("state", "running")
        .description("jobs running on the scale set's runners").register(registry);
    for (RunnerState state : RunnerState.values()) {
      AtomicInteger count = new AtomicInteger();
      runners.put(state, count);
      Gauge.builder("oneshot.pool.runners", count, AtomicInteger::get).tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("runners by state, from the cloud's list and the scale set's registrations").register(registry);
    }
    Gauge.builder("oneshot.pool.desired.runners", desired, AtomicInteger::get)
        .description("clamp(min + assigned jobs, 0, max)").register(registry);
    Gauge.builder("oneshot.pool.leader", leader, AtomicInteger::get)
        .description("1 while this replica holds the scale set's session").register(registry);
    launches = Counter.builder("oneshot.pool.launches").description("containers the cloud accepted").register(registry);
    messages = Counter.builder("oneshot.pool.messages").description("scale-set messages handled").register(registry);
    for (FailureKind kind : FailureKind.values()) {
      failures(kind);
    }
    for (RemovalReason reason : RemovalReason.values()) {
      removals(reason);
    }
    jobToOnline = Timer.builder("oneshot.pool.job.to.online")
        .description("from a job assigned to the scale set until a runner for it was online")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofMinutes(30)).register(registry);
  }

  private Counter failures(FailureKind kind) {
    return Counter.builder("oneshot.pool.launch.failures").tag("kind", kind.name().toLowerCase(Locale.ROOT))
        .description("launches that failed, by kind").register(registry);
  }

  private Counter removals(RemovalReason reason) {
    return Counter.builder("oneshot.pool.removals").tag("reason", reason.label())
        .description("runners removed, by reason").register(registry);
  }

  @Override
  public void leadership(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
  }

  @Override
  public void statistics(ScaleSetStatistics statistics) {
    available.set(statistics.totalAvailableJobs());
    assigned.set(statistics.totalAssignedJobs());
    running.set(statistics.totalRunningJobs());
  }

  @Override
  public void message(ScaleSetMessage message) {
    messages.increment();
  }

  @Override
  public void observed(PoolSnapshot snapshot, int wanted) {
    desired.set(wanted);
    snapshot.countByState().forEach((state, count) -> runners.get(state).set(count));
  }

  @Override
  public void launched(String runnerName) {
    launches.increment();
  }

  @Override
  public void launchFailed(FailureKind kind, String reason) {
    failures(kind).increment();
  }

  @Override
  public void removed(PoolRunner runner, RemovalReason reason) {
    removals(reason).increment();
  }

  @Override
  public void jobToOnline(Duration waited) {
    jobToOnline.record(waited);
  }
}
