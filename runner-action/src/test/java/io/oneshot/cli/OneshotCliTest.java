package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: help, usage errors (exit 2), input errors (exit 1), flags and completion. */
class OneshotCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> environment, String... args) {
    return OneshotCli.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheModes() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("start").contains("stop").contains("sweep")
        .contains("status").contains("completion").doesNotContain("demo");
  }

  @Test
  void startShowsItsOptionsWithBackendSettingsUnderAHeadingPerBackend() {
    assertThat(run(Map.of(), "start", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--subnets-tag=<subnets-tag>").contains("--count=<count>")
        .contains("--[no-]wait").contains("ecs options:").contains("aci options:").contains("cloudrun options:")
        .contains("--output=<format>").doesNotContain("--token").doesNotContain("--runner-id").doesNotContain("--force");
  }

  @Test
  void stopShowsOnlyWhatStopReads() {
    assertThat(run(Map.of(), "stop", "--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help).contains("--runner-id=<runner-id>").contains("--force").contains("--cluster=<cluster>")
        .contains("--resource-group=<resource-group>").contains("--job=<job>")
        .doesNotContain("--subnets-tag").doesNotContain("--count").doesNotContain("--image").doesNotContain("--wait")
        .doesNotContain("--output");
  }

  @Test
  void booleansAreFlags() {
    assertThat(run(Map.of(), "stop", "--force=maybe", "--runner-id", "dev-0123456789abcdef")).isEqualTo(2);
    int code = run(Map.of(), "stop", "--force", "--context", "octo/app", "--runner-id", "dev-0123456789abcdef");
    assertThat(code).as("a flag takes no value; the run then stops at the missing token").isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("token is empty");
  }

  @Test
  void completionPrintsAShellScriptForEverySubcommandAndOption() {
    assertThat(run(Map.of(), "completion")).isZero();
    String script = out.toString(StandardCharsets.UTF_8);
    assertThat(script).startsWith("#!/usr/bin/env bash").contains("complete -F").contains("start").contains("sweep")
        .contains("--runner-id").contains("--subnets-tag").contains("--wait");
  }

  @Test
  void noModeIsAUsageError() {
    assertThat(run(Map.of())).isEqualTo(2);
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run(Map.of(), "start", "--cuont", "3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--cuont");
  }

  @Test
  void aBadValueIsAnInputErrorNamingIt() {
    int code = run(Map.of("GITHUB_TOKEN", "ghp_notreal"), "start", "--context", "octo/app", "--count", "0",
        "--subnets", "subnet-0123456789abcdef0");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("count 0 is out of range").doesNotContain("ghp_notreal");
  }

  @Test
  void theTokenComesFromTheEnvironmentNotTheCommandLine() {
    int code = run(Map.of(), "stop", "--context", "octo/app", "--runner-id", "dev-0123456789abcdef");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("token is empty");
  }

}
