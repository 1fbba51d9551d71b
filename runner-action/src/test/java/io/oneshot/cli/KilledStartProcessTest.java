package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery: a real {@code oneshot} process (the CLI's main in a JVM of its own, Actions mode, ECS through
 * {@code AWS_ENDPOINT_URL}) is killed with SIGKILL after its k-th request to the fakes (GitHub and ECS together,
 * read from their call logs), for k = 1..20 (five of them in the build; past the launches the kill lands in the
 * wait): no shutdown hook runs. Then the stop step by run id ({@code mode:
 * stop}, {@code GITHUB_RUN_ID}, no {@code runner-id}) must leave nothing registered and no task running. ECS
 * only: Cloud Run and ACI need their endpoint injected in-process, which a child JVM cannot take.
 */
class KilledStartProcessTest {
  /** All 20 points with {@code -Doneshot.crash.points=20}; the build kills at five of them (a JVM each). */
  private static final int POINTS = Integer.getInteger("oneshot.crash.points", 5);
  private static final String RUN_ID = "4242";

  @TempDir Path directory;

  @Test
  void aStartKilledAtAnyOfTwentyPointsIsCleanedUpByTheStopStepOfItsRun() throws Exception {
    List<String> failures = new ArrayList<>();
    List<String> points = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 1; i <= POINTS; i++) {
      int k = POINTS >= 20 ? i : 1 + (i - 1) * 19 / Math.max(1, POINTS - 1);
      String result = killAt(k);
      if (result.startsWith("FAIL")) {
        failures.add(result);
      }
      points.add(result);
    }
    System.out.println("killed starts: " + POINTS + " points, " + failures.size() + " left something, "
        + (System.nanoTime() - started) / 1_000_000 + " ms\n  " + String.join("\n  ", points));
    assertThat(failures).isEmpty();
  }

  private String killAt(int k) throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    Path dir = Files.createDirectory(directory.resolve("k" + k));
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(70 + k).build();
        FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(170 + k).build()) {
      github.addRepository("octo-org/app");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("dev", "runner", "ghcr.io/oneshot/runner:test"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
      // A few real milliseconds per answer, so the kill lands close to the k-th request.
      ecs.faults().latency(Duration.ofMillis(15));
      github.faults().latency(Duration.ofMillis(15));
      String token = github.issueToken();
      Path stderr = dir.resolve("stderr");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
          OneshotCli.class.getName()).redirectOutput(dir.resolve("stdout").toFile()).redirectError(stderr.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("INPUT_") || name.startsWith("GITHUB_")
          || name.startsWith("AWS_") || name.equals("RUNNER_DEBUG"));
      environment.putAll(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "octo-org/app",
          "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_OUTPUT", dir.resolve("output").toString(),
          "GITHUB_RUN_ID", RUN_ID, "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", ecs.endpoint().toString(),
          "AWS_ACCESS_KEY_ID", "AKIDONESHOTTEST", "AWS_SECRET_ACCESS_KEY", "oneshot-test-secret",
          "AWS_EC2_METADATA_DISABLED", "true"));
      environment.putAll(Map.of("INPUT_NAME", "dev", "INPUT_SUBNETS-TAG", "oneshot:runners", "INPUT_COUNT", "3",
          "INPUT_TOKEN", token, "INPUT_TIMEOUT", "5m"));

      int killedAfter;
      Process process = builder.start();
      try {
        // Until the k-th request, or until the process has gone quiet for 3 s (it is then waiting for the
        // runners, which never boot: the fakes' clock stands still).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        long lastChange = System.nanoTime();
        while (requests(github, ecs) < k && process.isAlive() && System.nanoTime() < deadline
            && (seen == 0 || System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(3))) {
          if (requests(github, ecs) != seen) {
            seen = requests(github, ecs);
            lastChange = System.nanoTime();
          }
          Thread.sleep(1);
        }
        process.destroyForcibly();
        killedAfter = requests(github, ecs);
        process.waitFor(10, TimeUnit.SECONDS);
      } finally {
        process.destroyForcibly();
      }
      if (killedAfter == 0) {
        return "FAIL k=" + k + ": the process made only " + killedAfter + " requests: " + Files.readString(stderr);
      }
      int registered = github.runners("repos/octo-org/app").size();
      int tasks = ecs.tasks().size();

      Map<String, String> stop = new HashMap<>(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "octo-org/app",
          "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_RUN_ID", RUN_ID,
          "GITHUB_OUTPUT", dir.resolve("stop-output").toString()));
      stop.putAll(Map.of("INPUT_MODE", "stop", "INPUT_NAME", "dev", "INPUT_REGION", "us-east-1", "INPUT_TOKEN", token));
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = OneshotCli.run(new String[0], stop, new PrintStream(new ByteArrayOutputStream(), true,
          StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
          FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(k)),
          SandboxBackends.ecs(ecs), new io.oneshot.action.CancelSignal());
      clock.advance(Duration.ofMinutes(1));
      ecs.poll();
      long running = ecs.tasks().stream().filter(t -> !t.lastStatus().equals("STOPPED")).count();
      int left = github.runners("repos/octo-org/app").size();
      String line = "k=" + k + " killed after " + killedAfter + " requests (" + registered + " registered, " + tasks
          + " task(s)); stop exit " + code + ": " + left + " registration(s), " + running + " task(s) left";
      return (left == 0 && running == 0 && code == 0 ? "ok   " : "FAIL ") + line
          + (left == 0 && running == 0 && code == 0 ? "" : "\n" + err.toString(StandardCharsets.UTF_8)
          + ecs.tasks().stream().map(FakeTask::toString).toList());
    }
  }

  private static int requests(FakeGitHub github, FakeEcs ecs) {
    return github.callCount() + ecs.calls().size();
  }
}
