package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerExitCodes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idle timeout stops a runner that got no job; the maximum lifetime stops any runner. Short values, real time. */
class TimersTest {
  @TempDir
  Path tmp;

  @Test
  void aRunnerWithoutAJobIsStoppedAtTheIdleTimeout() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "idle")
        .env("ONESHOT_IDLE_TIMEOUT", "300ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.IDLE_TIMEOUT);
    assertThat(run.stubLog()).contains("run.sh got TERM");
    assertThat(run.output()).contains("idle timeout: no job started within 300ms");
    assertThat(run.elapsed()).isBetween(Duration.ofMillis(300), Duration.ofMillis(2500));
  }

  @Test
  void tokenModeDeregistersAnIdleRunner() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TokenModeTest.TOKEN).env("STUB_RUN", "idle")
        .env("ONESHOT_IDLE_TIMEOUT", "300ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.IDLE_TIMEOUT);
    assertThat(run.stubLog()).containsSubsequence("run.sh got TERM", "config.sh args=[remove --unattended]");
  }

  @Test
  void theJobStartedHookTurnsTheIdleTimerOff() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "job")
        .env("STUB_JOB_MS", "800").env("ONESHOT_IDLE_TIMEOUT", "200ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(run.stubSaw("got TERM")).isFalse();
    assertThat(run.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  @Test
  void aRunnerWhoseWorkerRunsButWhoseHookHasNotYetRunIsNotStopped() {
    // The listener starts Runner.Worker when it gets a job; the hook runs a little later.
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "worker-then-hook")
        .env("STUB_HOOK_DELAY_MS", "700").env("ONESHOT_IDLE_TIMEOUT", "200ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(run.stubSaw("got TERM")).isFalse();
    assertThat(run.stubLog()).contains("run.sh hook exited 0", "run.sh job done");
  }

  @Test
  void aJobStillRunningAtTheMaximumLifetimeIsStopped() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "job")
        .env("STUB_JOB_MS", "5000").env("ONESHOT_MAX_LIFETIME", "500ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.MAX_LIFETIME);
    assertThat(run.stubLog()).contains("run.sh hook exited 0", "run.sh got TERM");
    assertThat(run.output()).contains("maximum lifetime of 500ms reached");
    assertThat(run.elapsed()).isBetween(Duration.ofMillis(500), Duration.ofMillis(2500));
  }

  @Test
  void aRunnerThatIgnoresSigtermAtTheMaximumLifetimeIsKilledAfterTheGracePeriod() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "stubborn")
        .env("ONESHOT_MAX_LIFETIME", "400ms").env("ONESHOT_STOP_GRACE", "300ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.MAX_LIFETIME);
    assertThat(run.stubLog()).contains("run.sh ignored TERM");
    assertThat(run.output()).contains("did not stop within 300ms of SIGTERM; killing it");
    assertThat(run.elapsed()).isBetween(Duration.ofMillis(700), Duration.ofMillis(3000));
    assertThat(entrypoint.workerGone()).as("the worker was killed with the runner").isTrue();
  }

  @Test
  void theTimersRunDuringRegistrationToo() {
    Entrypoint entrypoint = Entrypoint.token(tmp, TokenModeTest.TOKEN).env("STUB_CONFIG", "hang")
        .env("ONESHOT_IDLE_TIMEOUT", "300ms");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.IDLE_TIMEOUT);
    assertThat(run.stubLog()).contains("config.sh got TERM");
    assertThat(run.stubSaw("run.sh")).isFalse();
  }
}
