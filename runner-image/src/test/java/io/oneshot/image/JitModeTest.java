package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JIT mode: run.sh gets the JIT config through the environment only, and the exit code tells how the runner ended. */
class JitModeTest {
  static final String JIT = "eyJzZWNyZXQiOiJqaXQtY29uZmlnLWZvci10ZXN0cyJ9";

  @TempDir
  Path tmp;

  @Test
  void aRunnerThatRanItsJobEndsTheContainerWithZero() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(run.stubLog()).contains("run.sh args=[]", "run.sh hook exited 0", "run.sh job done");
    assertThat(run.output()).contains("jit mode", "the runner ran its job");
  }

  @Test
  void runShReadsTheJitConfigFromTheEnvironmentNotFromItsArguments() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(entrypoint.stubFile("run-jitconfig")).contains(JIT);
    assertThat(run.stubLog()).contains("run.sh args=[]");
  }

  @Test
  void theRunnerGetsTheJobStartedHookAndTheRunnersManualSignalHandling() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.stubLog()).contains("run.sh hook=" + Entrypoint.HOOK, "run.sh manual-trap=1");
  }

  @Test
  void theRunnerDoesNotInheritAnIgnoredSigint() {
    // run.sh turns SIGTERM into SIGINT for the listener; bash ignores SIGINT in background commands
    // unless job control is on, and an ignored signal stays ignored in every child.
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    String sigIgn = run.stubLog().stream().filter(line -> line.startsWith("run.sh SigIgn:")).findFirst()
        .orElseThrow().replaceAll(".*:\\s*", "");
    long ignored = Long.parseLong(sigIgn, 16);
    assertThat(ignored & (1L << (2 - 1))).as("SIGINT ignored in run.sh (mask %s)", sigIgn).isZero();
  }

  @Test
  void aRunnerThatExitsWithoutAJobEndsWithNoJob() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "exit:0");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.NO_JOB);
    assertThat(run.output()).contains("the runner exited without running a job");
    assertThat(run.stubSaw("config.sh")).as("no token to deregister with in JIT mode").isFalse();
  }

  @Test
  void aRunnerThatFailsEndsWithRunnerFailedAndSaysItsCode() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "exit:7");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.RUNNER_FAILED);
    assertThat(run.output()).contains("the runner exited with 7");
  }

  @Test
  void anImageHookThatWasAlreadySetStillRunsAfterOurs() throws Exception {
    Path userHook = tmp.resolve("user-hook.sh");
    java.nio.file.Files.writeString(userHook, "echo user-hook-ran >> \"$STUB_LOG\"\n");
    Entrypoint entrypoint = Entrypoint.jit(tmp, JIT).env("STUB_RUN", "job")
        .env("ACTIONS_RUNNER_HOOK_JOB_STARTED", userHook.toString());

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(run.stubLog()).contains("run.sh hook=" + Entrypoint.HOOK, "user-hook-ran", "run.sh hook exited 0");
  }
}
