package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.aci.FakeContainerGroup;
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

/**
 * The action on ACI: backend: aci with its inputs (the registry password masked first), start then
 * stop, no container group left. The ACI client is the sandbox one that trusts the fake's certificate.
 */
class ActionModeAciTest {
  @TempDir Path directory;

  @Test
  void startAndStopOnAci() throws Exception {
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(41).build();
        FakeAci aci = FakeAci.builder().github(github).clock(clock).seed(42).build()) {
      github.addRepository("octo-org/app");
      aci.addResourceGroup("runners", "westeurope");
      Path outputs = directory.resolve("out");
      String password = "registry-pass-0123456789";
      Map<String, String> inputs = new HashMap<>(Map.of("backend", "aci", "context", "octo-org/app",
          "token", github.issueToken(), "subscription-id", aci.subscriptionId(), "resource-group", "runners",
          "location", "westeurope", "image", "registry.example.com/oneshot/runner:1", "count", "2",
          "registry-server", "registry.example.com", "registry-username", "ci"));
      inputs.put("registry-password", password);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      SecretScan.watch("the action's stdout", () -> out.toString(StandardCharsets.UTF_8));
      SecretScan.watch("the action's stderr", () -> err.toString(StandardCharsets.UTF_8));
      SecretScan.watch(outputs);
      RunContext context = new RunContext(Map.of("GITHUB_API_URL", github.apiUrl().toString(),
          "GITHUB_OUTPUT", outputs.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), true,
          FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(6)), SandboxBackends.aci(aci));

      assertThat(new OneshotRun(context).run(inputs)).as(err.toString(StandardCharsets.UTF_8)).isZero();

      assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
          .contains("::add-mask::" + password);
      assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(password);
      assertThat(aci.groups()).hasSize(2).allSatisfy(group -> {
        assertThat(group.secureEnvironmentNames()).contains("ACTIONS_RUNNER_INPUT_JITCONFIG");
        assertThat(group.registryServers()).containsExactly("registry.example.com");
      });
      String label = Files.readAllLines(outputs).stream().filter(line -> line.startsWith("runner_id="))
          .findFirst().orElseThrow().substring("runner_id=".length());

      inputs.put("mode", "stop");
      inputs.put("runner-id", label);
      assertThat(new OneshotRun(context).run(inputs)).as(err.toString(StandardCharsets.UTF_8)).isZero();
      clock.advance(Duration.ofMinutes(1));
      aci.poll();

      assertThat(github.runners("repos/octo-org/app")).isEmpty();
      assertThat(aci.groups()).extracting(FakeContainerGroup::name).isEmpty();
    }
  }
}
