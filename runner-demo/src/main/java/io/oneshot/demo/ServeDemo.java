package io.oneshot.demo;

import io.oneshot.action.CancelSignal;
import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import io.oneshot.action.ServeRun;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code oneshot demo serve}: runs a real {@code oneshot serve} against the fake GitHub with its scale-set
 * service and a fake cloud, queues jobs for the scale set, and prints as the pool launches runners, the
 * simulated runners take and finish the jobs, and the pool returns to zero; then sends the stop a SIGTERM
 * would and prints what is left (nothing). Time is simulated (the clock moves 5 s per tenth of a real
 * second), so it takes seconds. Blocks; needs no network.
 */
final class ServeDemo {
  private static final String SCALE_SET = "ci-private";
  private static final Duration JOB = Duration.ofMinutes(2);
  private final PrintStream out;
  private final PrintStream err;

  ServeDemo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(String backend, int jobs) {
    if (jobs < 1 || jobs > 20) {
      err.println("oneshot demo serve: --jobs " + jobs + " is out of range; use 1 to 20");
      return DemoMain.USAGE;
    }
    TestClock clock = new TestClock(Instant.now());
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(System.nanoTime()).build()) {
      Optional<DemoCloud> found = DemoCloud.forBackend(backend, github);
      if (found.isEmpty()) {
        err.println("oneshot demo serve: backend '" + backend + "' has no demo; use --backend ecs, cloudrun or aci");
        return DemoMain.USAGE;
      }
      try (DemoCloud cloud = found.get();
          FakeScaleSetService service = FakeScaleSetService.builder(github).longPollHold(Duration.ofMillis(50))
              .runJobs(JOB).build()) {
        return run(cloud, github, service, clock, jobs);
      }
    }
  }

  private int run(DemoCloud cloud, FakeGitHub github, FakeScaleSetService service, TestClock clock, int jobs) {
    github.addOrganization("octo-org");
    Map<String, String> environment = Map.of("GITHUB_API_URL", github.apiUrl().toString());
    CancelSignal sigterm = new CancelSignal();
    RunContext context = new RunContext(environment, out, out, false, FleetOptions.defaults()
        .withClock(clock, duration -> Thread.sleep(Math.min(20, Math.max(1, duration.toMillis())))),
        List.of(cloud.provider()), false, sigterm);
    Map<String, String> options = new HashMap<>(cloud.inputs());
    if (cloud.backend().equals("ecs")) {
      options.put("task-definition", "dev");
    }
    options.putAll(Map.of("backend", cloud.backend(), "token", github.issueToken(), "context", "octo-org",
        "scale-set", SCALE_SET, "max-runners", "10", "metrics-port", "0"));
    banner("oneshot demo serve: fake GitHub at " + github.apiUrl() + " with its Actions service, " + cloud.describe()
        + " (simulated time; nothing leaves this machine)");
    banner("oneshot serve --backend " + cloud.backend() + " --context octo-org --scale-set " + SCALE_SET
        + " --max-runners 10");
    CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> new ServeRun(context).run(options));
    if (!await(() -> service.scaleSetId(SCALE_SET).flatMap(service::sessionOwner).isPresent(), serving, clock, false)) {
      return serving.join();
    }
    long scaleSetId = service.scaleSetId(SCALE_SET).orElseThrow();
    pause(); // lets serve print its start-up lines first
    banner(jobs + " workflow jobs with runs-on: " + SCALE_SET + " are queued (each runs " + JOB.toMinutes()
        + " min)");
    Instant start = clock.instant();
    for (int i = 0; i < jobs; i++) {
      service.enqueueJob(scaleSetId);
    }
    String[] last = {""};
    boolean done = await(() -> {
      String line = status(service, cloud);
      if (!line.equals(last[0])) {
        out.printf("  t+%-5s %s%n", seconds(Duration.between(start, clock.instant())), line);
        last[0] = line;
      }
      return service.jobsIn(JobState.COMPLETED) == jobs && cloud.running() == 0;
    }, serving, clock, true);
    banner("SIGTERM: serve stops launching and deletes its session");
    try {
      sigterm.cancelAndAwait(Duration.ofSeconds(1));
      int code = serving.get(30, TimeUnit.SECONDS);
      long registered = github.runners("orgs/octo-org").size();
      long running = cloud.running();
      boolean session = service.sessionOwner(scaleSetId).isPresent();
      banner("left behind: " + registered + " registered runner(s), " + running + " running container(s), "
          + (session ? "a session" : "no session"));
      return done && code == OneshotRun.OK && registered == 0 && running == 0 && !session ? OneshotRun.OK
          : OneshotRun.FAILED;
    } catch (Exception e) {
      err.println("oneshot demo serve: serve did not stop: " + e);
      return OneshotRun.FAILED;
    }
  }

  private static String status(FakeScaleSetService service, DemoCloud cloud) {
    return "jobs: " + service.jobsIn(JobState.AVAILABLE) + " queued, " + service.jobsIn(JobState.ASSIGNED)
        + " waiting for a runner, " + service.jobsIn(JobState.RUNNING) + " running, "
        + service.jobsIn(JobState.COMPLETED) + " done | containers: " + cloud.running() + " running, "
        + cloud.containers().size() + " launched";
  }

  /** Moves the clock 5 s per 100 ms real time until the condition holds (30 s real at most). */
  private boolean await(java.util.function.BooleanSupplier condition, CompletableFuture<Integer> serving,
      TestClock clock, boolean advance) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (serving.isDone() || System.nanoTime() > deadline) {
        err.println("oneshot demo serve: " + (serving.isDone() ? "serve ended early" : "not done within 30 s"));
        return false;
      }
      try {
        Thread.sleep(advance ? 100 : 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (advance) {
        clock.advance(Duration.ofSeconds(5));
      }
    }
    return true;
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMinutes() + ":" + String.format("%02d", duration.toSecondsPart());
  }

  private void banner(String text) {
    out.println();
    out.println("== " + text);
    out.flush();
  }
}
