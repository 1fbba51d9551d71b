package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform's stop signal reaches the runner, and the exit code says the container was stopped. */
class SignalsTest {
  @TempDir
  Path tmp;

  @Test
  void sigtermIsForwardedToTheRunnerAndEndsWith143() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "idle");
    Entrypoint.Started started = entrypoint.start().awaitStubLog("run.sh args=");

    Entrypoint.Finished run = started.signal("TERM").awaitExit();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.SIGTERM);
    assertThat(run.stubLog()).contains("run.sh got TERM");
    assertThat(run.output()).contains("SIGTERM from the platform");
    assertThat(run.elapsed()).isLessThan(java.time.Duration.ofSeconds(3));
  }

  @Test
  void sigintAndSighupEndWithTheirOwnCodes() {
    Entrypoint.Finished interrupted = Entrypoint.jit(tmp.resolve("int"), JitModeTest.JIT).env("STUB_RUN", "idle")
        .start().awaitStubLog("run.sh args=").signal("INT").awaitExit();
    Entrypoint.Finished hungUp = Entrypoint.jit(tmp.resolve("hup"), JitModeTest.JIT).env("STUB_RUN", "idle")
        .start().awaitStubLog("run.sh args=").signal("HUP").awaitExit();

    assertThat(interrupted.exitCode()).isEqualTo(RunnerExitCodes.SIGINT);
    assertThat(hungUp.exitCode()).isEqualTo(RunnerExitCodes.SIGHUP);
    assertThat(interrupted.stubLog()).contains("run.sh got TERM");
    assertThat(hungUp.stubLog()).contains("run.sh got TERM");
  }

  @Test
  void tokenModeDeregistersARunnerStoppedBeforeItsJob() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TokenModeTest.TOKEN).env("STUB_RUN", "idle");
    Entrypoint.Started started = entrypoint.start().awaitStubLog("run.sh args=");

    Entrypoint.Finished run = started.signal("TERM").awaitExit();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.SIGTERM);
    assertThat(run.stubLog()).containsSubsequence("run.sh got TERM", "config.sh args=[remove --unattended]");
    assertThat(entrypoint.stubFile("remove-token")).contains(TokenModeTest.TOKEN);
  }

  @Test
  void tokenModeLeavesTheRegistrationOfARunnerStoppedDuringItsJob() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TokenModeTest.TOKEN).env("STUB_RUN", "job")
        .env("STUB_JOB_MS", "5000");
    Entrypoint.Started started = entrypoint.start().awaitStubLog("run.sh hook exited 0");

    Entrypoint.Finished run = started.signal("TERM").awaitExit();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.SIGTERM);
    assertThat(run.stubLog()).contains("run.sh got TERM");
    assertThat(run.stubSaw("config.sh args=[remove")).isFalse();
  }

  @Test
  void sigtermDuringRegistrationStopsConfigShAndNeverStartsTheRunner() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TokenModeTest.TOKEN).env("STUB_CONFIG", "hang");
    Entrypoint.Started started = entrypoint.start().awaitStubLog("config.sh args=[--unattended");

    Entrypoint.Finished run = started.signal("TERM").awaitExit();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.SIGTERM);
    assertThat(run.stubLog()).contains("config.sh got TERM", "config.sh args=[remove --unattended]");
    assertThat(run.stubSaw("run.sh")).isFalse();
  }

  @Test
  void aRunnerThatIgnoresSigtermIsKilledWithItsWorkerAfterTheGracePeriod() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "stubborn")
        .env("ONESHOT_STOP_GRACE", "300ms");
    Entrypoint.Started started = entrypoint.start().awaitStubLog("run.sh args=");
    Entrypoint.pause(100); // let the worker start
    long sent = System.nanoTime();

    Entrypoint.Finished run = started.signal("TERM").awaitExit();

    long stopMillis = (System.nanoTime() - sent) / 1_000_000;
    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.SIGTERM);
    assertThat(run.stubLog()).contains("run.sh ignored TERM", "worker ignored TERM");
    assertThat(run.output()).contains("did not stop within 300ms of SIGTERM; killing it");
    assertThat(stopMillis).isBetween(300L, 2500L);
    assertThat(entrypoint.workerGone()).as("the worker was killed with the runner").isTrue();
  }
}
