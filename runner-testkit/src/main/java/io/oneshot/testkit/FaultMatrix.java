package io.oneshot.testkit;

import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetOptions;
import io.oneshot.core.FleetPhase;
import io.oneshot.core.FleetRequest;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.RunnerOutcome;
import io.oneshot.core.StopAction;
import io.oneshot.core.StopReport;
import io.oneshot.core.StoppedRunner;
import io.oneshot.core.SweepReport;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.FakeRunner;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.spi.RunnerLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Seeded fault schedules against one backend's fake cloud and the fake GitHub, on a {@link TestClock} (no real
 * sleeps besides the fakes' optional millisecond latency).
 *
 * <p>A schedule is a seed. From it: one or two batches of one to three runners, a random mix and count of the
 * fake GitHub's faults (5xx, secondary limits with {@code retry-after}, resets) and the cloud's
 * ({@link Cloud#planFaults}), then: start each batch, hand some online runners a job (through the batch label,
 * as GitHub matches {@code runs-on}), finish some of those jobs, stop each batch by label (busy runners are left
 * alone; a stop that throws or reports a failed terminate is run again, three times at most, as a re-run of the step), finish the remaining
 * jobs, and, where a start was cut short or every stop attempt failed, at most two sweep passes. Every
 * schedule uses fresh fakes, so one seed replays alone.
 *
 * <p>Checks (the invariants): no container left running (every job has ended, so none may keep one alive), no
 * registration left, no job taken by a runner launched for another batch, every runner's end reported with a kind
 * and a reason (start outcomes and stop entries), no fake contract violation. Thread-safe: schedules share
 * nothing.
 */
public final class FaultMatrix {
  /** The number of schedules a test runs unless {@code -Doneshot.matrix.schedules=N} says otherwise. */
  public static final String SCHEDULES_PROPERTY = "oneshot.matrix.schedules";
  /** Runs just this seed, printing its plan: {@code -Doneshot.matrix.seed=S}. */
  public static final String SEED_PROPERTY = "oneshot.matrix.seed";

  static final Duration ONLINE_TIMEOUT = Duration.ofMinutes(3);
  static final Duration BOOT_TIMEOUT = Duration.ofMinutes(5);
  static final int STOP_ATTEMPTS = 3;

  private static final String[] GITHUB_OPERATIONS = {
    "actions/generate-runner-jitconfig-for-org", "actions/list-self-hosted-runners-for-org",
    "actions/delete-self-hosted-runner-from-org", "actions/get-self-hosted-runner-for-org"};

  private FaultMatrix() {}

  /** One container as the fake cloud sees it now. */
  public record Container(String id, boolean live, Optional<SimulatedRunner> runner, Optional<String> batchLabel) {}

  /** What a schedule needs of one backend's fake cloud; made fresh for each schedule. */
  public interface Cloud extends AutoCloseable {
    /** A launcher on the fake, for start, stop and sweep, on the org's clock. */
    RunnerLauncher launcher();

    /**
     * Plans this schedule's cloud faults from {@code random} (so the seed replays them), for a schedule of
     * {@code runners} runners; adds a description of each to {@code plan} and returns how many were planned.
     */
    int planFaults(Random random, int runners, List<String> plan);

    /** Every container the fake has, observed now (which moves its lifecycle on to the clock). */
    List<Container> containers();

    /** Closes the fake; throws {@link AssertionError} when the fake broke its contract. */
    @Override
    void close();
  }

  /** Makes the fake cloud of one schedule, sharing the org's fake GitHub and clock. */
  @FunctionalInterface
  public interface CloudFactory {
    Cloud create(GitHubOrg org, long seed);
  }

  /** What one schedule found. */
  public record Result(long seed, int faults, int leakedContainers, int leakedRegistrations, int stolenJobs,
      List<String> problems, List<String> plan) {
    public boolean ok() {
      return leakedContainers == 0 && leakedRegistrations == 0 && stolenJobs == 0 && problems.isEmpty();
    }

    /** The schedule, what it found and how to replay it. */
    public String describe(String backend) {
      return "seed " + seed + " (" + backend + "): leaked containers " + leakedContainers + ", leaked registrations "
          + leakedRegistrations + ", stolen jobs " + stolenJobs + "\n    plan: " + String.join("; ", plan)
          + (problems.isEmpty() ? "" : "\n    problems: " + String.join("\n      ", problems))
          + "\n    replay: mvn -B -o test -Dtest=<Backend>FaultMatrixTest -D" + SEED_PROPERTY + "=" + seed;
    }
  }

  /** The schedules of one backend. */
  public record Summary(String backend, List<Result> results) {
    public int faults() {
      return results.stream().mapToInt(Result::faults).sum();
    }

    public List<Result> failures() {
      return results.stream().filter(r -> !r.ok()).toList();
    }

    /** {@code BACKEND: schedules N, faults F, leaked containers 0, leaked registrations 0, stolen jobs 0}. */
    public String line() {
      return backend + ": schedules " + results.size() + ", faults " + faults() + ", leaked containers "
          + results.stream().mapToInt(Result::leakedContainers).sum() + ", leaked registrations "
          + results.stream().mapToInt(Result::leakedRegistrations).sum() + ", stolen jobs "
          + results.stream().mapToInt(Result::stolenJobs).sum()
          + (failures().isEmpty() ? "" : ", failing seeds " + failures().stream().map(r -> Long.toString(r.seed()))
          .toList());
    }

    /** Every failing schedule, described for a replay; empty when all passed. */
    public String report() {
      StringBuilder out = new StringBuilder();
      failures().forEach(r -> out.append(r.describe(backend)).append('\n'));
      return out.toString();
    }
  }

  /**
   * Runs the seed of {@code -Doneshot.matrix.seed} if set, else seeds 1..N with N from
   * {@code -Doneshot.matrix.schedules} or {@code ciSchedules}; prints the summary line (and each failing seed).
   */
  public static Summary run(String backend, CloudFactory factory, int ciSchedules) {
    List<Long> seeds = new ArrayList<>();
    Long only = Long.getLong(SEED_PROPERTY);
    if (only != null) {
      seeds.add(only);
    } else {
      int count = Integer.getInteger(SCHEDULES_PROPERTY, ciSchedules);
      for (long seed = 1; seed <= count; seed++) {
        seeds.add(seed);
      }
    }
    List<Result> results = new ArrayList<>();
    long started = System.nanoTime();
    for (long seed : seeds) {
      Result result = schedule(factory, seed);
      results.add(result);
      if (only != null) {
        System.out.println(result.describe(backend));
      }
    }
    Summary summary = new Summary(backend, results);
    System.out.println("fault matrix " + summary.line() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    if (!summary.failures().isEmpty()) {
      System.out.println(summary.report());
    }
    return summary;
  }

  /** Runs one schedule with fresh fakes. Never throws: what went wrong is in the result. */
  public static Result schedule(CloudFactory factory, long seed) {
    Random random = new Random(seed);
    List<String> plan = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int faults = 0;
    int[] found = new int[3];
    GitHubOrg org = new GitHubOrg("octo", seed);
    Cloud cloud = null;
    try {
      cloud = factory.create(org, seed);
      int batchCount = 1 + random.nextInt(2);
      int[] counts = new int[batchCount];
      int runners = 0;
      for (int b = 0; b < batchCount; b++) {
        counts[b] = 1 + random.nextInt(3);
        runners += counts[b];
      }
      plan.add("batches " + java.util.Arrays.toString(counts));
      faults += planGitHubFaults(random, org.github(), plan);
      faults += cloud.planFaults(random, runners, plan);
      try (RunnerLauncher launcher = cloud.launcher()) {
        runSteps(org, cloud, launcher, random, seed, counts, plan, problems, found);
      }
    } catch (Throwable e) {
      problems.add("the schedule itself failed: " + e);
    } finally {
      if (cloud != null) {
        close(cloud::close, problems);
      }
      close(org::close, problems);
    }
    return new Result(seed, faults, found[0], found[1], found[2], List.copyOf(problems), List.copyOf(plan));
  }

  private static void close(Runnable closer, List<String> problems) {
    try {
      closer.run();
    } catch (Throwable e) {
      problems.add("closing a fake: " + e.getMessage());
    }
  }

  private static int planGitHubFaults(Random random, FakeGitHub github, List<String> plan) {
    int planned = 0;
    int kinds = random.nextInt(4);
    for (int i = 0; i < kinds; i++) {
      String operation = GITHUB_OPERATIONS[random.nextInt(GITHUB_OPERATIONS.length)];
      switch (random.nextInt(3)) {
        case 0 -> {
          int status = new int[] {500, 502, 503}[random.nextInt(3)];
          int times = 1 + random.nextInt(2);
          github.faults().failNext(operation, status, times);
          plan.add("github " + status + " x" + times + " " + operation);
          planned += times;
        }
        case 1 -> {
          int retryAfter = 1 + random.nextInt(60);
          github.faults().secondaryRateLimitNext(operation, retryAfter);
          plan.add("github secondary limit retry-after " + retryAfter + " " + operation);
          planned++;
        }
        default -> {
          github.faults().resetNextConnections(operation, 1);
          plan.add("github reset " + operation);
          planned++;
        }
      }
    }
    return planned;
  }

  private static void runSteps(GitHubOrg org, Cloud cloud, RunnerLauncher launcher, Random random, long seed,
      int[] counts, List<String> plan, List<String> problems, int[] found) {
    TestClock clock = org.clock();
    List<String> labels = new CopyOnWriteArrayList<>();
    RunnerFleet fleet = new RunnerFleet(org.client(), launcher, FleetOptions.defaults()
        .withClock(clock, clock.sleeper()).withRandom(new Random(seed)).withBootTimeout(BOOT_TIMEOUT)
        .withPolling(Duration.ofSeconds(2), Duration.ofSeconds(10)).withListener(event -> {
          if (event.phase() == FleetPhase.PLANNED) {
            labels.add(event.runnerName());
          }
        }));
    boolean cutShort = false;
    List<BatchResult> started = new ArrayList<>();
    for (int b = 0; b < counts.length; b++) {
      int before = labels.size();
      try {
        BatchResult batch = fleet.start(fleet.request().prefix("mx").count(counts[b])
            .onlineTimeout(ONLINE_TIMEOUT).build());
        started.add(batch);
        checkOutcomes(batch, counts[b], problems);
      } catch (RuntimeException e) {
        cutShort = true;
        plan.add("start " + b + " cut short: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        if (labels.size() == before) {
          plan.add("start " + b + " threw before planning a batch");
        }
      }
    }

    // Jobs: GitHub hands a job for a batch label to an idle online runner carrying that label.
    List<SimulatedRunner> busy = new ArrayList<>();
    for (BatchResult batch : started) {
      int jobs = random.nextInt(batch.runners().size() + 1);
      for (int j = 0; j < jobs; j++) {
        Optional<FakeRunner> registration = org.registrations().stream()
            .filter(r -> r.online() && !r.busy() && r.labels().contains(batch.batchLabel())).findFirst();
        if (registration.isEmpty()) {
          break;
        }
        Optional<Container> host = cloud.containers().stream().filter(Container::live)
            .filter(c -> c.runner().map(SimulatedRunner::runnerName).filter(registration.get().name()::equals)
                .isPresent()).findFirst();
        if (host.isEmpty()) {
          problems.add("runner " + registration.get().name() + " is online without a live container");
          break;
        }
        if (!host.get().batchLabel().map(batch.batchLabel()::equals).orElse(false)) {
          found[2]++;
          problems.add("a job for " + batch.batchLabel() + " went to " + registration.get().name()
              + " in a container of batch " + host.get().batchLabel().orElse("(none)"));
        }
        SimulatedRunner runner = host.get().runner().orElseThrow();
        runner.acceptJob();
        if (random.nextBoolean()) {
          runner.finishJob();
        } else {
          busy.add(runner);
        }
      }
    }
    clock.advance(Duration.ofSeconds(30));

    // A stop step that fails is run again (a re-run of the step), up to three times in all.
    boolean stopFailed = false;
    for (String label : labels) {
      for (int attempt = 1; attempt <= STOP_ATTEMPTS; attempt++) {
        try {
          StopReport report = fleet.stop(label, false);
          for (StoppedRunner runner : report.runners()) {
            if (runner.action() == null || runner.detail().isBlank()) {
              problems.add("stop of " + label + " reported " + runner.runnerName() + " without an action and reason");
            }
          }
          if (report.runners().stream().noneMatch(r -> r.action() == StopAction.TERMINATE_FAILED)) {
            break;
          }
          plan.add("stop " + label + " attempt " + attempt + ": " + report.summary());
          stopFailed |= attempt == STOP_ATTEMPTS;
        } catch (RuntimeException e) {
          plan.add("stop " + label + " attempt " + attempt + " failed: " + e.getClass().getSimpleName() + ": "
              + e.getMessage());
          stopFailed |= attempt == STOP_ATTEMPTS;
        }
      }
    }
    for (SimulatedRunner runner : busy) {
      if (runner.isBusy()) {
        runner.finishJob();
      }
    }
    clock.advance(Duration.ofMinutes(2));
    cloud.containers();

    if (cutShort || stopFailed) {
      // What is left is at most two sweep passes from gone; registrations younger than the boot timeout are
      // never deleted, so the first pass comes after it.
      clock.advance(BOOT_TIMEOUT.plusMinutes(1));
      for (int pass = 1; pass <= 2; pass++) {
        try {
          SweepReport sweep = fleet.sweep("mx");
          plan.add("sweep " + pass + ": " + sweep.actions().size() + " action(s)");
        } catch (RuntimeException e) {
          plan.add("sweep " + pass + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        clock.advance(Duration.ofMinutes(2));
      }
    }

    clock.advance(Duration.ofMinutes(2));
    for (Container container : cloud.containers()) {
      if (container.live()) {
        found[0]++;
        problems.add("container " + container.id() + " still running, runner "
            + container.runner().map(SimulatedRunner::toString).orElse("(none)"));
      }
    }
    for (FakeRunner registration : org.registrations()) {
      found[1]++;
      problems.add("registration " + registration.name() + " (" + registration.status()
          + (registration.busy() ? ", busy" : "") + ") left");
    }
  }

  private static void checkOutcomes(BatchResult batch, int count, List<String> problems) {
    if (batch.runners().size() != count) {
      problems.add("start of " + batch.batchLabel() + " reported " + batch.runners().size() + " of " + count
          + " runners");
    }
    for (RunnerOutcome outcome : batch.runners()) {
      boolean failed = outcome.kind() == OutcomeKind.FAILED || outcome.kind() == OutcomeKind.TIMED_OUT;
      if (failed && outcome.reason().isBlank()) {
        problems.add(outcome.runnerName() + " ended " + outcome.kind() + " without a reason");
      }
      if (outcome.kind() == OutcomeKind.FAILED && outcome.failure().isEmpty()) {
        problems.add(outcome.runnerName() + " failed without a failure kind");
      }
    }
  }

  /** A small helper for clouds: picks one of {@code options}. */
  public static <T> T pick(Random random, List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
