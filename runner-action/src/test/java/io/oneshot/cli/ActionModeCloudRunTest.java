package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.action.CancelSignal;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.cloudrun.FakeExecution;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.testkit.SecretScan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action end to end on Cloud Run: backend: cloudrun with its inputs, start then stop, nothing left. */
class ActionModeCloudRunTest {
  @TempDir Path directory;

  @Test
  void startAndStopOnCloudRun() throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(31).build();
        FakeCloudRun run = FakeCloudRun.builder().github(github).clock(clock).seed(32).project("proj-one")
            .region("europe-west1").loopback(true).build()) {
      github.addOrganization("octo-org");
      run.addJob(CloudRunJobSpec.runner("runners", "runner", "ghcr.io/oneshot/runner:test"));
      Path outputs = directory.resolve("out");
      Map<String, String> environment = new HashMap<>(Map.of("GITHUB_ACTIONS", "true",
          "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_OUTPUT", outputs.toString(),
          "INPUT_BACKEND", "cloudrun", "INPUT_CONTEXT", "octo-org", "INPUT_TOKEN", github.issueToken(),
          "INPUT_PROJECT", "proj-one", "INPUT_REGION", "europe-west1", "INPUT_JOB", "runners", "INPUT_COUNT", "2"));
      FleetOptions options = FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(3));
      var backends = SandboxBackends.cloudRun(run);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
      ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
      SecretScan.watch("the action's stdout", () -> outBytes.toString(StandardCharsets.UTF_8));
      SecretScan.watch("the action's stderr", () -> err.toString(StandardCharsets.UTF_8));
      SecretScan.watch(outputs);

      assertThat(OneshotCli.run(new String[0], environment, out, errStream, options, backends, new CancelSignal()))
          .as(err.toString(StandardCharsets.UTF_8)).isZero();
      String label = Files.readAllLines(outputs).stream().filter(line -> line.startsWith("runner_id="))
          .findFirst().orElseThrow().substring("runner_id=".length());
      assertThat(github.runners("orgs/octo-org")).hasSize(2).allMatch(r -> r.online() && r.labels().contains(label));
      assertThat(run.executions()).hasSize(2);

      environment.put("INPUT_MODE", "stop");
      environment.put("INPUT_RUNNER-ID", label);
      assertThat(OneshotCli.run(new String[0], environment, out, errStream, options, backends, new CancelSignal()))
          .as(err.toString(StandardCharsets.UTF_8)).isZero();
      clock.advance(Duration.ofMinutes(1));
      run.poll();

      assertThat(github.runners("orgs/octo-org")).isEmpty();
      assertThat(run.executions()).allMatch(FakeExecution::finished);
    }
  }
}
