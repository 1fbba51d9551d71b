package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.testkit.SecretScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ECS, Cloud Run and ACI stop a service's container with SIGTERM. A real {@code oneshot serve} process (the CLI's
 * main in a JVM of its own) holding the session with a runner launched is stopped that way: it exits 0 within the
 * stop timeout, its session is deleted (a standby could take over at once), and the runner is left to its job.
 */
class ServeProcessTest {
  @TempDir Path directory;

  @Test
  void sigtermDeletesTheSessionAndExitsZero() throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(91).build();
        FakeScaleSetService service = FakeScaleSetService.builder(github).longPollHold(Duration.ofMillis(200))
            .build();
        FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(92).build()) {
      github.addOrganization("octo-org");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot", "runner", "ghcr.io/oneshot/runner:test"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
      Path stderr = directory.resolve("stderr");
      ProcessBuilder builder = serve(github, ecs, stderr, "--context", "octo-org", "--scale-set", "ci-private",
          "--subnets-tag", "oneshot:runners", "--metrics-port", "0", "--log-format", "json");

      Process process = builder.start();
      try {
        waitFor(() -> service.scaleSetId("ci-private").flatMap(service::sessionOwner).isPresent(), process, stderr);
        service.enqueueJob(service.scaleSetId("ci-private").orElseThrow());
        waitFor(() -> ecs.tasks().size() == 1, process, stderr);

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(25, TimeUnit.SECONDS)).as("exits within the stop timeout").isTrue();
      } finally {
        process.destroyForcibly();
      }

      String printed = Files.readString(stderr, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(printed).isZero();
      assertThat(printed).contains("stopped; the session is deleted");
      // --log-format json: every line on stderr is one JSON object, serve's own status lines included.
      ObjectMapper json = new ObjectMapper();
      assertThat(printed.lines().filter(line -> !line.isBlank()).toList()).isNotEmpty().allSatisfy(line ->
          assertThat(json.readTree(line).fieldNames()).toIterable()
              .contains("timestamp", "level", "logger", "message"));
      assertThat(service.sessionOwner(service.scaleSetId("ci-private").orElseThrow())).isEmpty();
      assertThat(ecs.tasks()).as("the runner is left to its job").extracting(t -> t.desiredStatus())
          .containsOnly("RUNNING");
    }
  }

  @Test
  void withJsonLogsAConfigurationGitHubRefusesIsOneJsonErrorNamingTheSetting() throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(93).build();
        FakeScaleSetService service = FakeScaleSetService.builder(github).build();
        FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(94).build()) {
      github.addOrganization("octo-org");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot", "runner", "ghcr.io/oneshot/runner:test"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
      Path stderr = directory.resolve("stderr");
      ProcessBuilder builder = serve(github, ecs, stderr, "--context", "octo-org", "--scale-set", "ci-private",
          "--runner-group", "gpu", "--subnets-tag", "oneshot:runners", "--metrics-port", "0", "--log-format", "json");
      Process process = builder.start();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

      String printed = Files.readString(stderr, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(printed).isOne();
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : printed.lines().filter(line -> !line.isBlank()).toList()) {
        lines.add(json.readTree(line));
      }
      assertThat(lines).anySatisfy(line -> {
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("message").asText()).contains("runner-group 'gpu' does not exist");
      });
      assertThat(service.scaleSetId("ci-private")).isEmpty();
    }
  }

  /** {@code oneshot serve --backend ecs ARGS} in a JVM of its own, against these fakes; stderr to that file. */
  private ProcessBuilder serve(FakeGitHub github, FakeEcs ecs, Path stderr, String... args) {
    SecretScan.watch(stderr);
    SecretScan.watch(directory.resolve("stdout"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OneshotCli.class.getName(), "serve", "--backend", "ecs"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(directory.resolve("stdout").toFile())
        .redirectError(stderr.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("INPUT_") || name.startsWith("GITHUB_")
        || name.startsWith("AWS_") || name.startsWith("ONESHOT_"));
    environment.putAll(Map.of("GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_TOKEN", github.issueToken(),
        "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", ecs.endpoint().toString(), "AWS_ACCESS_KEY_ID",
        "AKIDONESHOTTEST", "AWS_SECRET_ACCESS_KEY", "oneshot-test-secret", "AWS_EC2_METADATA_DISABLED", "true"));
    return builder;
  }

  private static void waitFor(BooleanSupplier condition, Process process, Path stderr) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the oneshot serve process did not get there: " + (Files.exists(stderr)
            ? Files.readString(stderr) : "(no stderr)"));
      }
      Thread.sleep(50);
    }
  }
}
