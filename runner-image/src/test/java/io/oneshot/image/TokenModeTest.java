package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.RunnerExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token mode: config.sh registers with the token (handed over in the environment, never as an
 * argument), run.sh runs without it, and a runner stopped before its job deregisters.
 */
class TokenModeTest {
  static final String TOKEN = "AABBCCDDEEFFGGHHIIJJKKLLMMNN1";

  @TempDir
  Path tmp;

  @Test
  void configShRegistersAnEphemeralRunnerWithEveryValue() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(run.stubLog()).startsWith("config.sh args=[--unattended --ephemeral --disableupdate --replace"
        + " --url https://github.com/octo-org/app --name dev-a1b2c3d4"
        + " --labels self-hosted,Linux,X64,ephemeral,dev,dev-0123456789abcdef --runnergroup Default --work _work]");
    assertThat(run.stubLog()).contains("run.sh args=[]", "run.sh job done");
  }

  @Test
  void theTokenReachesConfigShOnlyThroughTheRunnersInputVariable() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(entrypoint.stubFile("config-token")).contains(TOKEN);
    assertThat(run.stubSaw("config.sh saw RUNNER_TOKEN")).isFalse();
  }

  @Test
  void neitherTheRunnerNorAJobCanReadTheToken() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.stubSaw("run.sh saw RUNNER_TOKEN")).isFalse();
    assertThat(run.stubSaw("run.sh saw ACTIONS_RUNNER_INPUT_TOKEN")).isFalse();
    // A job runs as the same user as the entrypoint and could read its /proc/<pid>/environ.
    assertThat(entrypoint.stubFile("entrypoint-environ")).hasValueSatisfying(environ -> {
      assertThat(environ).contains("RUNNER_URL=https://github.com/octo-org/app");
      assertThat(environ).doesNotContain(TOKEN);
    });
  }

  @Test
  void emptyOptionalValuesAreLeftToTheRunnersDefaults() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "job")
        .without(RunnerEnvironment.RUNNER_LABELS).env(RunnerEnvironment.RUNNER_GROUP, "")
        .without(RunnerEnvironment.RUNNER_WORKDIR);

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.stubLog()).startsWith("config.sh args=[--unattended --ephemeral --disableupdate --replace"
        + " --url https://github.com/octo-org/app --name dev-a1b2c3d4]");
  }

  @Test
  void aFailedRegistrationEndsWithRegistrationFailedAndNeverStartsTheRunner() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_CONFIG", "fail:1");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.REGISTRATION_FAILED);
    assertThat(run.output()).contains("registration failed: config.sh exited with 1");
    assertThat(run.stubSaw("run.sh")).isFalse();
    assertThat(run.stubSaw("config.sh args=[remove")).as("nothing registered, nothing to remove").isFalse();
  }

  @Test
  void aRunnerThatRanItsJobIsNotDeregistered() {
    // GitHub removes an ephemeral runner after its job; a remove would only fail.
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.stubSaw("config.sh args=[remove")).isFalse();
  }

  @Test
  void aRunnerThatEndsWithoutAJobIsDeregisteredWithTheToken() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "exit:0");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.NO_JOB);
    assertThat(run.stubLog()).contains("config.sh args=[remove --unattended]");
    assertThat(entrypoint.stubFile("remove-token")).contains(TOKEN);
    assertThat(run.output()).contains("registration removed");
  }

  @Test
  void aFailedDeregistrationIsReportedAndTheExitCodeStillSaysWhy() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TOKEN).env("STUB_RUN", "exit:0").env("STUB_REMOVE_EXIT", "2");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.NO_JOB);
    assertThat(run.output()).contains("could not remove the registration (config.sh remove exited with 2)");
  }
}
