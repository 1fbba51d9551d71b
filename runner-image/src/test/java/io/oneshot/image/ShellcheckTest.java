package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The image's scripts are shellcheck-clean. Under CI ({@code CI=true}) a missing shellcheck fails
 * the build ({@code .ci/run} installs it); elsewhere the test is skipped with a hint.
 */
class ShellcheckTest {
  @Test
  void theEntrypointAndTheHookHaveNoFindings() throws Exception {
    if (!shellcheckInstalled()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("shellcheck is not installed; .ci/run installs it with apt-get install shellcheck");
      }
      Assumptions.abort("shellcheck is not installed (apt-get install shellcheck); skipped outside CI");
    }
    Process process = new ProcessBuilder("shellcheck", "--severity=style", "--shell=bash",
        Entrypoint.SCRIPT.toString(), Entrypoint.HOOK.toString()).redirectErrorStream(true).start();
    String findings = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as("shellcheck findings:%n%s", findings).isZero();
    assertThat(findings).isEmpty();
  }

  @Test
  void shellcheckReallyReportsFindings() throws Exception {
    Assumptions.assumeTrue(shellcheckInstalled(), "shellcheck is not installed");
    java.nio.file.Path bad = java.nio.file.Files.createTempFile("oneshot-bad", ".sh");
    try {
      java.nio.file.Files.writeString(bad, "#!/usr/bin/env bash\necho $1\n");
      Process process = new ProcessBuilder("shellcheck", bad.toString()).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(process.exitValue()).as("an unquoted $1 is a finding").isNotZero();
    } finally {
      java.nio.file.Files.deleteIfExists(bad);
    }
  }

  private static boolean shellcheckInstalled() {
    try {
      Process process = new ProcessBuilder("shellcheck", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
