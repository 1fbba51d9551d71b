package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub cancels a step by sending SIGTERM to its container. A real {@code oneshot} process (the CLI's
 * main in a JVM of its own, in Actions mode) is killed that way while its tasks boot: {@code runner_id}
 * must already be in {@code $GITHUB_OUTPUT}, and once the process has exited nothing is registered and
 * no task is left running.
 */
class CancelledStartProcessTest {
  @TempDir Path directory;

  @Test
  void sigtermWhileTasksBootLeavesTheLabelAndNothingElse() throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(61).build();
        FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(62).build()) {
      github.addRepository("octo-org/app");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("dev", "runner", "ghcr.io/oneshot/runner:test"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
      Path outputs = directory.resolve("github_output");
      Path stderr = directory.resolve("stderr");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), OneshotCli.class.getName())
          .redirectOutput(directory.resolve("stdout").toFile()).redirectError(stderr.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("INPUT_") || name.startsWith("GITHUB_")
          || name.startsWith("AWS_") || name.equals("RUNNER_DEBUG"));
      environment.putAll(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "octo-org/app",
          "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_OUTPUT", outputs.toString(), "GITHUB_RUN_ID", "777",
          "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", ecs.endpoint().toString(), "AWS_ACCESS_KEY_ID",
          "AKIDONESHOTTEST", "AWS_SECRET_ACCESS_KEY", "oneshot-test-secret", "AWS_EC2_METADATA_DISABLED", "true"));
      environment.putAll(Map.of("INPUT_NAME", "dev", "INPUT_SUBNETS-TAG", "oneshot:runners", "INPUT_COUNT", "2",
          "INPUT_TOKEN", github.issueToken(), "INPUT_TIMEOUT", "5m"));

      Process process = builder.start();
      try {
        waitFor(() -> ecs.tasks().size() == 2, process, stderr);
        assertThat(ecs.tasks()).allMatch(task -> !task.lastStatus().equals("RUNNING"));
        assertThat(Files.readString(outputs)).as("runner_id is published before the wait")
            .containsPattern("(?m)^runner_id=dev-[a-z0-9]{16}$");

        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the process exits within GitHub's grace").isTrue();
      } finally {
        process.destroyForcibly();
      }

      String printed = Files.readString(stderr, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(printed).isNotZero();
      assertThat(printed).contains("start cancelled").containsPattern("STOPPED: registration deleted, container terminated");
      assertThat(github.runners("repos/octo-org/app")).as("registrations left").isEmpty();
      assertThat(ecs.tasks()).as("tasks asked to stop").extracting(FakeTask::desiredStatus).containsOnly("STOPPED");
      clock.advance(Duration.ofMinutes(1));
      ecs.poll();
      assertThat(ecs.tasks()).extracting(FakeTask::lastStatus).containsOnly("STOPPED");
    }
  }

  /** Waits (in real time, bounded) for the child process to reach a point, failing with its stderr if it dies. */
  private static void waitFor(BooleanSupplier condition, Process process, Path stderr) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the oneshot process did not get there: " + (Files.exists(stderr)
            ? Files.readString(stderr) : "(no stderr)"));
      }
      Thread.sleep(50);
    }
  }

}
