package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.action.CancelSignal;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.testkit.SecretScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oneshot serve} as a user runs it: the command line, ECS through the real SDK, SIGTERM at the end. */
class ServeCliTest {
  @TempDir
  Path directory;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  ServeCliTest() {
    // Secret hygiene: what serve prints is scanned for every token and JIT config the fakes issued.
    SecretScan.watch("serve's stdout", () -> out.toString(StandardCharsets.UTF_8));
    SecretScan.watch("serve's stderr", () -> err.toString(StandardCharsets.UTF_8));
  }

  private int serve(ActionFixture fx, CancelSignal cancel, String... args) {
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(Arrays.asList(args));
    return OneshotCli.run(all.toArray(String[]::new),
        Map.of("GITHUB_TOKEN", fx.token, "GITHUB_API_URL", fx.github.apiUrl().toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        FleetOptions.defaults().withClock(fx.clock, fx.clock.sleeper()).withRandom(fx.random),
        SandboxBackends.ecs(fx.ecs), cancel);
  }

  private static String[] ecsOptions(String... more) {
    List<String> args = new ArrayList<>(List.of("--backend", "ecs", "--context", "octo-org/app", "--region",
        "us-east-1", "--task-definition", "oneshot", "--subnets-tag", "oneshot:runners", "--security-groups-tag",
        "oneshot:runners"));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  @Test
  void servesJobsOnEcsReportsMetricsAndStopsCleanlyOnSigterm() throws Exception {
    try (ActionFixture fx = new ActionFixture(directory);
        FakeScaleSetService service = FakeScaleSetService.builder(fx.github).longPollHold(Duration.ofMillis(20))
            .runJobs(Duration.ofSeconds(30)).build()) {
      int port = freePort();
      CancelSignal cancel = new CancelSignal();
      CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> serve(fx, cancel,
          ecsOptions("--scale-set", "ci-private", "--labels", "linux", "--max-runners", "5", "--metrics-port",
              Integer.toString(port))));
      await(() -> service.scaleSetId("ci-private").flatMap(service::sessionOwner).isPresent(), fx, serving);
      long id = service.scaleSetId("ci-private").orElseThrow();
      assertThat(service.labels(id)).containsExactly("ci-private", "linux");
      long[] jobs = {service.enqueueJob(id), service.enqueueJob(id), service.enqueueJob(id)};
      await(() -> Arrays.stream(jobs).allMatch(job -> service.jobState(job) == JobState.COMPLETED)
          && fx.ecs.tasks().stream().allMatch(t -> t.lastStatus().equals("STOPPED")), fx, serving);
      int tasks = fx.ecs.tasks().size();
      assertThat(tasks).as("one task per job").isEqualTo(3);

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("oneshot_pool_launches_total " + tasks + ".0", "oneshot_pool_leader 1.0",
          "oneshot_pool_jobs{state=\"assigned\"}", "oneshot_pool_job_to_online_seconds_count",
          "oneshot_pool_launch_failures_total{kind=\"capacity\"} 0.0", "oneshot_pool_runners{state=\"busy\"}");

      assertThat(cancel.cancelAndAwait(Duration.ofSeconds(1))).isTrue(); // what the shutdown hook does on SIGTERM
      assertThat(serving.get(20, TimeUnit.SECONDS)).isZero();
      assertThat(service.sessionOwner(id)).isEmpty();
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertThat(stderr).contains("jobs use runs-on: ci-private", "session is deleted")
          .doesNotContain(fx.token);
    }
  }

  @Test
  void theQuickStartCommandOfDocsServeRunsAsWritten() throws Exception {
    // The page's first sh block, verbatim: export GITHUB_TOKEN=..., then the serve command.
    String page = Files.readString(Path.of("..", "docs", "serve.md"));
    Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(page);
    assertThat(block.find()).isTrue();
    String command = block.group(1).lines().filter(line -> !line.startsWith("export "))
        .collect(Collectors.joining(" ")).replace("\\", " ");
    List<String> words = List.of(command.trim().split("\\s+"));
    assertThat(words.subList(0, 2)).containsExactly("oneshot", "serve");
    try (ActionFixture fx = new ActionFixture(directory);
        FakeScaleSetService service = FakeScaleSetService.builder(fx.github).longPollHold(Duration.ofMillis(20))
            .runJobs(Duration.ofSeconds(30)).build()) {
      fx.github.addOrganization("octo-org");
      fx.ecs.addCluster("runners");
      fx.ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("gh-runner", "runner", "ghcr.io/oneshot/runner:test"));
      CancelSignal cancel = new CancelSignal();
      CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> OneshotCli.run(
          words.subList(1, words.size()).toArray(String[]::new),
          Map.of("GITHUB_TOKEN", fx.token, "GITHUB_API_URL", fx.github.apiUrl().toString()),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
          FleetOptions.defaults().withClock(fx.clock, fx.clock.sleeper()).withRandom(fx.random),
          SandboxBackends.ecs(fx.ecs), cancel));
      await(() -> service.scaleSetId("ci-private").flatMap(service::sessionOwner).isPresent(), fx, serving);
      long job = service.enqueueJob(service.scaleSetId("ci-private").orElseThrow());
      await(() -> service.jobState(job) == JobState.COMPLETED, fx, serving);
      assertThat(fx.ecs.tasks()).singleElement().satisfies(task -> assertThat(task.cluster()).endsWith("runners"));
      cancel.cancelAndAwait(Duration.ofSeconds(1));
      assertThat(serving.get(20, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void badOptionsFailBeforeAnyCallNamingEachOption() {
    try (ActionFixture fx = new ActionFixture(directory)) {
      int code = serve(fx, new CancelSignal(), ecsOptions("--scale-set", "not a name", "--min-runners", "5",
          "--max-runners", "2", "--boot-timeout", "2s", "--metrics-port", "70000", "--log-format", "xml"));
      assertThat(code).isEqualTo(1);
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertThat(stderr).contains("scale-set 'not a name'", "min-runners 5 is more than max-runners 2",
          "boot-timeout '2s' is out of range", "metrics-port 70000", "log-format 'xml'");
      assertThat(fx.github.calls()).isEmpty();
      assertThat(fx.ecs.calls()).isEmpty();
    }
  }

  @Test
  void anUnknownRunnerGroupFailsAtStartUpNamingItAndCreatesNothing() {
    try (ActionFixture fx = new ActionFixture(directory);
        FakeScaleSetService service = FakeScaleSetService.builder(fx.github).build()) {
      int code = serve(fx, new CancelSignal(), ecsOptions("--scale-set", "ci-private", "--runner-group", "gpu",
          "--metrics-port", "0"));
      assertThat(code).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("runner-group 'gpu' does not exist");
      assertThat(service.scaleSetId("ci-private")).isEmpty();
      assertThat(fx.ecs.tasks()).isEmpty();
    }
  }

  @Test
  void helpShowsServeOptionsAndTheBackendsStartSettings() {
    try (ActionFixture fx = new ActionFixture(directory)) {
      assertThat(serve(fx, new CancelSignal(), "--help")).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("--scale-set", "--min-runners", "--max-runners",
          "--boot-timeout", "--metrics-port", "--log-format", "--runner-group", "--labels", "--cluster",
          "--task-definition", "--subscription-id").doesNotContain("--runner-id", "--count");
    }
  }

  /** Waits up to 10 s real time, moving the fake clock on 5 s per turn so containers boot and jobs run. */
  private static void await(BooleanSupplier condition, ActionFixture fx, CompletableFuture<Integer> serving)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (serving.isDone()) {
        throw new AssertionError("serve ended early with " + serving.join() + ":\n" + "see stderr");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 10 s; tasks: " + fx.ecs.tasks().stream()
            .map(FakeTask::lastStatus).toList());
      }
      Thread.sleep(20);
      fx.clock.advance(Duration.ofSeconds(5));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
