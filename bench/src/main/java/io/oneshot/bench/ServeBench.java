package io.oneshot.bench;

import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.RecordedCall;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.pool.PoolListener;
import io.oneshot.pool.PoolRunner;
import io.oneshot.pool.PoolSettings;
import io.oneshot.pool.PoolSnapshot;
import io.oneshot.pool.RemovalReason;
import io.oneshot.pool.RunnerPool;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.spi.LaunchedRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Issue 14's serve benchmark: a burst of 50 jobs enqueued at once on a scale set served by a started
 * {@link RunnerPool} (its own loop thread) over the fake GitHub, the fake scale-set service and the in-memory
 * launcher, all on the system clock. Containers are never pending and runners boot in zero time, the service
 * holds an empty long poll 50 ms and a job runs 200 ms, so "assigned → online" is the pool's own latency in real
 * milliseconds (message, acquire, reconcile, JIT config, launch) plus loopback HTTP.
 *
 * <p>A watcher thread (every millisecond) plays the cloud and the runners: it starts each launched container's
 * runner process and notes when that runner first shows as online in the fake GitHub, and it lets the service catch
 * up with the clock (jobs start on idle runners, complete after 200 ms). Per round it reports assigned → online
 * (the job's {@code assignedAt} on the service to the first online sighting of the runner that took the job), the
 * pool's own {@link PoolListener#jobToOnline} measurements, the wall time from the enqueue until all jobs completed
 * and the pool's first look that found zero live runners and wanted none, and every request the fakes and the
 * launcher received in that window, per job. Blocks; prints Markdown tables. Argument: rounds (5), after one
 * warm-up round. System property {@code bench.trace=true}: what the pool did, on stderr.
 */
public final class ServeBench {
  private static final int JOBS = 50;
  private static final Duration HOLD = Duration.ofMillis(50);
  private static final Duration JOB = Duration.ofMillis(200);
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
  private static final String SCALE_SET = "bench-serve";
  /** Every operation the fake service counts as a request (the registration exchange is counted by GitHub). */
  private static final List<String> SERVICE_OPERATIONS = List.of("get-runner-group", "get-scale-set",
      "create-scale-set", "update-scale-set", "delete-scale-set", "scale-set-not-found", "create-session",
      "refresh-session", "delete-session", "get-message", "delete-message", "acquire-jobs", "generate-jit-config",
      "list-runners", "get-runner-by-name", "get-runner", "delete-runner");

  private ServeBench() {}

  /** Runs one warm-up round, then {@code args[0]} (default 5) measured rounds. */
  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    run(0);
    List<Round> results = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      results.add(run(i));
    }
    print(results);
  }

  /** Counts of requests by operation at one moment: REST (fake GitHub), Actions service, cloud (launcher). */
  private record Counts(Map<String, Integer> rest, Map<String, Integer> service, Map<String, Integer> cloud) {
    static Counts of(FakeGitHub github, FakeScaleSetService service, CountingLauncher launcher) {
      Map<String, Integer> rest = new TreeMap<>();
      for (RecordedCall call : github.calls()) {
        rest.merge(call.operationId() == null ? call.method() + " " + call.path() : call.operationId(), 1,
            Integer::sum);
      }
      Map<String, Integer> actions = new TreeMap<>();
      SERVICE_OPERATIONS.forEach(op -> actions.put(op, service.callCount(op)));
      return new Counts(rest, actions, launcher.counts());
    }

    Counts minus(Counts before) {
      return new Counts(diff(rest, before.rest), diff(service, before.service), diff(cloud, before.cloud));
    }

    private static Map<String, Integer> diff(Map<String, Integer> after, Map<String, Integer> before) {
      Map<String, Integer> out = new TreeMap<>();
      after.forEach((op, n) -> out.put(op, n - before.getOrDefault(op, 0)));
      return out;
    }

    static int sum(Map<String, Integer> counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private record Round(List<Double> assignedToOnlineMs, List<Double> poolJobToOnlineMs,
      List<Double> assignedToStartedMs, double allDoneMs, Counts burst, Counts setup) {}

  /**
   * What the pool told us: its job-to-online measurements and its latest look at the runners. With
   * {@code -Dbench.trace=true} it also prints each message, look, launch and removal to stderr.
   */
  private static final class Listener implements PoolListener {
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<Look> looks = new CopyOnWriteArrayList<>();

    record Look(Instant at, int live, int desired) {}

    /**
     * The first look taken after {@code instant} that found no live runner and wanted none (a look with stale
     * statistics can find none live and still launch).
     */
    Optional<Instant> firstIdleAfter(Instant instant) {
      return looks.stream().filter(look -> look.at().isAfter(instant) && look.live() == 0 && look.desired() == 0)
          .map(Look::at).findFirst();
    }

    private static void trace(String what) {
      if (TRACE) {
        System.err.println(Instant.now() + " " + what);
      }
    }

    @Override
    public void message(ScaleSetMessage message) {
      trace("message " + message.messageId() + " with " + message.jobs().size() + " jobs "
          + message.jobs().stream().map(job -> job.type().toString()).distinct().toList() + ", "
          + message.statistics());
    }

    @Override
    public void observed(PoolSnapshot snapshot, int desired) {
      looks.add(new Look(snapshot.at(), snapshot.live(), desired));
      trace("looked: " + snapshot.countByState() + ", desired " + desired);
    }

    @Override
    public void launched(String runnerName) {
      trace("launched " + runnerName);
    }

    @Override
    public void removed(PoolRunner runner, RemovalReason reason) {
      trace("removed " + runner + ": " + reason);
    }

    @Override
    public void jobToOnline(Duration waited) {
      waits.add(waited);
    }
  }

  /**
   * The cloud and the runners, independent of the pool: every millisecond it starts the process of each container
   * launched so far (no pending time, no boot delay), notes when its runner is first online in the fake GitHub,
   * and lets the fake service catch up with the clock (assigns jobs to idle runners, completes finished ones).
   */
  private static final class Watcher extends Thread {
    final Map<String, Instant> onlineAt = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final InMemoryLauncher launcher;
    private final FakeScaleSetService service;
    private final Clock clock;
    private volatile boolean done;

    Watcher(InMemoryLauncher launcher, FakeScaleSetService service, Clock clock) {
      super("serve-bench-watcher");
      setDaemon(true);
      this.launcher = launcher;
      this.service = service;
      this.clock = clock;
    }

    @Override
    public void run() {
      while (!done) {
        for (LaunchedRunner container : launcher.containers()) {
          if (seen.contains(container.resourceId())) {
            continue;
          }
          Optional<SimulatedRunner> runner = launcher.runner(container.resourceId());
          if (runner.isPresent() && runner.get().isOnline()) {
            onlineAt.putIfAbsent(runner.get().runnerName(), clock.instant());
            seen.add(container.resourceId());
          }
        }
        service.dispatch();
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void finish() throws InterruptedException {
      done = true;
      join();
    }
  }

  private static Round run(int seed) throws InterruptedException {
    Clock clock = Clock.systemUTC();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(seed).build();
        FakeScaleSetService service = FakeScaleSetService.builder(github).seed(seed).longPollHold(HOLD)
            .runJobs(JOB).build()) {
      github.addOrganization("bench");
      GitHubClient rest = GitHubClient.builder().apiUrl(github.apiUrl())
          .scope(new GitHubScope.Organization("bench")).credentials(GitHubCredentials.token(github.issueToken()))
          .clock(clock).random(new Random(seed)).build();
      ScaleSetClient scaleSets = ScaleSetClient.builder().github(rest).clock(clock).random(new Random(seed + 1))
          .pollTimeout(Duration.ofSeconds(10)).build();
      InMemoryLauncher memory = new InMemoryLauncher(github, Duration.ZERO, Duration.ZERO, 2);
      CountingLauncher launcher = new CountingLauncher(memory);
      Listener listener = new Listener();
      PoolSettings settings = PoolSettings.builder(SCALE_SET).labels(List.of("linux")).maxRunners(100)
          .sessionOwner("serve-bench").build();
      Counts initial = Counts.of(github, service, launcher);
      Watcher watcher = new Watcher(memory, service, clock);
      try (RunnerPool pool = RunnerPool.builder().github(rest).scaleSetClient(scaleSets).launcher(launcher)
          .settings(settings).clock(clock).random(new Random(seed + 2)).listener(listener).build()) {
        pool.start();
        await("the pool holds the session and has looked at the runners",
            () -> pool.leader() && listener.looks.size() >= 2);
        watcher.start();
        long scaleSetId = service.scaleSetId(SCALE_SET).orElseThrow();
        Counts before = Counts.of(github, service, launcher);

        Instant enqueued = clock.instant();
        long[] jobs = new long[JOBS];
        for (int i = 0; i < JOBS; i++) {
          jobs[i] = service.enqueueJob(scaleSetId);
        }
        await("every job completed", () -> service.jobsIn(JobState.COMPLETED) == JOBS);
        Instant completed = Arrays.stream(jobs).mapToObj(job -> service.completedAt(job).orElseThrow())
            .max(Comparator.naturalOrder()).orElseThrow();
        await("the pool found zero live runners and wanted none after the last job",
            () -> listener.firstIdleAfter(completed).isPresent());
        Instant idle = listener.firstIdleAfter(completed).orElseThrow();
        Counts burst = Counts.of(github, service, launcher).minus(before);
        watcher.finish();
        if (!memory.liveContainers().isEmpty()) {
          throw new IllegalStateException("containers still live: " + memory.liveContainers());
        }

        List<Double> online = new ArrayList<>();
        List<Double> started = new ArrayList<>();
        for (long job : jobs) {
          Instant assigned = service.assignedAt(job).orElseThrow();
          String runner = service.runnerOf(job).orElseThrow();
          Instant up = watcher.onlineAt.get(runner);
          if (up == null) {
            throw new IllegalStateException("runner " + runner + " of job " + job + " was never seen online");
          }
          online.add(Math.max(0, millis(Duration.between(assigned, up))));
          started.add(millis(Duration.between(assigned, service.startedAt(job).orElseThrow())));
        }
        List<Double> poolWaits = listener.waits.stream().map(ServeBench::millis).toList();
        return new Round(online, poolWaits, started, millis(Duration.between(enqueued, idle)), burst,
            before.minus(initial));
      } finally {
        if (watcher.isAlive()) {
          watcher.finish();
        }
      }
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + ROUND_TIMEOUT + ": " + what);
      }
      Thread.sleep(5); // coarse: the instants reported come from the fakes and the pool, not from this loop
    }
  }

  private static double millis(Duration duration) {
    return duration.toNanos() / 1_000_000.0;
  }

  /** Nearest-rank percentile. */
  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static double median(List<Double> values) {
    return percentile(values, 50);
  }

  private static <T> List<T> all(List<Round> rounds, Function<Round, List<T>> part) {
    return rounds.stream().flatMap(r -> part.apply(r).stream()).toList();
  }

  private static void print(List<Round> rounds) {
    System.out.printf(Locale.ROOT, "%d jobs at once, long-poll hold %d ms, jobs of %d ms, no pending or boot"
        + " delay; %d rounds after one warm-up%n%n", JOBS, HOLD.toMillis(), JOB.toMillis(), rounds.size());
    System.out.println("| round | assigned → online median / p95 ms | pool's jobToOnline median / p95 ms (n)"
        + " | assigned → job started p95 ms | all done ms | GitHub calls per job (REST + service) |"
        + " cloud calls per job (launch + list + describe + terminate) |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < rounds.size(); i++) {
      Round r = rounds.get(i);
      System.out.println(row(Integer.toString(i + 1), r.assignedToOnlineMs(), r.poolJobToOnlineMs(),
          r.assignedToStartedMs(), median(List.of(r.allDoneMs())), List.of(r.burst())));
    }
    System.out.println(row("all", all(rounds, Round::assignedToOnlineMs), all(rounds, Round::poolJobToOnlineMs),
        all(rounds, Round::assignedToStartedMs), median(rounds.stream().map(Round::allDoneMs).toList()),
        rounds.stream().map(Round::burst).toList()));

    System.out.println();
    System.out.println("Requests by operation, per job during the burst (mean of the rounds), and per pool from"
        + " start until it was idle before the burst:");
    System.out.println();
    System.out.println("| where | operation | per job, burst | per pool, start → idle |");
    System.out.println("| --- | --- | --- | --- |");
    breakdown("GitHub REST", rounds, c -> c.rest());
    breakdown("Actions service", rounds, c -> c.service());
    breakdown("cloud", rounds, c -> c.cloud());

    Runtime runtime = Runtime.getRuntime();
    long peak = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
        .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    System.gc();
    System.out.printf(Locale.ROOT, "%nheap: %d MiB in use after the rounds (pools closed, after a GC), peak %d MiB"
        + " (fakes and bench included); %d processors; %s %s%n", (runtime.totalMemory() - runtime.freeMemory()) >> 20,
        peak >> 20, runtime.availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  private static String row(String label, List<Double> online, List<Double> pool, List<Double> started,
      double allDone, List<Counts> bursts) {
    double jobs = (double) JOBS * bursts.size();
    double rest = bursts.stream().mapToInt(c -> Counts.sum(c.rest())).sum() / jobs;
    double service = bursts.stream().mapToInt(c -> Counts.sum(c.service())).sum() / jobs;
    StringBuilder cloud = new StringBuilder();
    double cloudTotal = 0;
    for (String op : List.of("launch", "list", "describe", "terminate")) {
      double perJob = bursts.stream().mapToInt(c -> c.cloud().getOrDefault(op, 0)).sum() / jobs;
      cloudTotal += perJob;
      cloud.append(cloud.length() == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%.2f", perJob));
    }
    return String.format(Locale.ROOT, "| %s | %.1f / %.1f | %.1f / %.1f (%d) | %.1f | %,.0f | %.2f + %.2f = %.2f |"
        + " %s = %.2f |", label, median(online), percentile(online, 95), median(pool), percentile(pool, 95),
        pool.size(), percentile(started, 95), allDone, rest, service, rest + service, cloud, cloudTotal);
  }

  private static void breakdown(String where, List<Round> rounds,
      Function<Counts, Map<String, Integer>> part) {
    Map<String, int[]> totals = new TreeMap<>();
    for (Round r : rounds) {
      part.apply(r.burst()).forEach((op, n) -> totals.computeIfAbsent(op, k -> new int[2])[0] += n);
      part.apply(r.setup()).forEach((op, n) -> totals.computeIfAbsent(op, k -> new int[2])[1] += n);
    }
    totals.forEach((op, n) -> {
      if (n[0] + n[1] > 0) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f |%n", where, op,
            n[0] / ((double) JOBS * rounds.size()), n[1] / (double) rounds.size());
      }
    });
  }
}
