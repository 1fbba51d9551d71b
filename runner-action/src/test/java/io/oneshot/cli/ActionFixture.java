package io.oneshot.cli;

import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.testkit.SecretScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A GitHub Actions environment for the CLI's main: the fake GitHub and fake ECS, INPUT_* variables
 * with hyphens kept, temp GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, captured stdout and stderr.
 */
final class ActionFixture implements AutoCloseable {
  final TestClock clock = TestClock.atEpochOfTests();
  final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(21).build();
  final FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(22).build();
  /** One source of names for every run of this fixture, so that two starts get different labels and names. */
  final Random random = new Random(5);
  final String token;
  final Path outputs;
  final Path summary;
  final Map<String, String> environment = new HashMap<>();
  String stdout = "";
  String stderr = "";

  ActionFixture(Path directory) {
    github.addRepository("octo-org/app");
    ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot", "runner", "ghcr.io/oneshot/runner:test"));
    ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
    ecs.addSecurityGroup("sg-0a1b2c3d4e5f60003", "runners", "vpc-0a1b2c3d", Map.of("oneshot", "runners"));
    token = github.issueToken();
    outputs = directory.resolve("github_output");
    summary = directory.resolve("step_summary");
    // Secret hygiene: everything a run prints or writes is scanned for the fakes' secrets after the test.
    SecretScan.watch(outputs);
    SecretScan.watch(summary);
    SecretScan.watch("the action's stdout", () -> stdout);
    SecretScan.watch("the action's stderr", () -> stderr);
    environment.putAll(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "octo-org/app",
        "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_OUTPUT", outputs.toString(),
        "GITHUB_STEP_SUMMARY", summary.toString()));
    input("token", token);
    input("name", "dev");
    input("region", "us-east-1");
    input("task-definition", "oneshot");
    input("subnets-tag", "oneshot:runners");
    input("security-groups-tag", "oneshot:runners");
  }

  /** Sets an input as the runner passes it: INPUT_ + upper case, hyphens kept. */
  void input(String name, String value) {
    environment.put("INPUT_" + name.toUpperCase(java.util.Locale.ROOT), value);
  }

  void remove(String name) {
    environment.remove("INPUT_" + name.toUpperCase(java.util.Locale.ROOT));
  }

  /** Runs the CLI's main as the action's entrypoint does: no arguments. */
  int runAction() {
    return run(new String[0], environment);
  }

  /** Runs the CLI as a shell user does: arguments, the token in GITHUB_TOKEN, no Actions environment. */
  int runCli(String... args) {
    return run(args, Map.of("GITHUB_TOKEN", token, "GITHUB_API_URL", github.apiUrl().toString()));
  }

  private int run(String[] args, Map<String, String> processEnvironment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = OneshotCli.run(args, processEnvironment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(random), SandboxBackends.ecs(ecs),
        new io.oneshot.action.CancelSignal());
    stdout = out.toString(StandardCharsets.UTF_8);
    stderr = err.toString(StandardCharsets.UTF_8);
    return code;
  }

  /** The outputs written so far (single-line form; the CLI writes no multi-line outputs). */
  Map<String, String> outputs() {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      if (Files.exists(outputs)) {
        for (String line : Files.readAllLines(outputs)) {
          int equals = line.indexOf('=');
          values.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }

  String summaryText() {
    try {
      return Files.exists(summary) ? Files.readString(summary) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything printed, minus the add-mask commands (the one place a secret may appear). */
  String printedWithoutMasks() {
    return (stdout + "\n" + stderr).lines().filter(line -> !line.startsWith("::add-mask::"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  @Override
  public void close() {
    try {
      ecs.close();
    } finally {
      github.close();
    }
  }
}
