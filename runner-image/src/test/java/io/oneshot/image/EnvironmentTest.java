package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.RunnerExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong environment ends the container with {@link RunnerExitCodes#INVALID_SETUP} before anything
 * starts, naming every problem at once, one line each, with the accepted form.
 */
class EnvironmentTest {
  @TempDir
  Path tmp;

  @Test
  void withoutAnyCredentialNothingStarts() {
    Entrypoint.Finished run = new Entrypoint(tmp).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output()).contains("no runner credential: set ACTIONS_RUNNER_INPUT_JITCONFIG (JIT mode)"
        + " or RUNNER_URL and RUNNER_TOKEN (token mode)");
    assertThat(run.stubLog()).isEmpty();
  }

  @Test
  void bothModesAtOnceIsAnError() {
    Entrypoint.Finished run = Entrypoint.token(tmp, TokenModeTest.TOKEN)
        .env(RunnerEnvironment.JIT_CONFIG, JitModeTest.JIT).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output()).contains("set either ACTIONS_RUNNER_INPUT_JITCONFIG (JIT mode) or RUNNER_URL and"
        + " RUNNER_TOKEN (token mode), not both");
    assertThat(run.stubLog()).isEmpty();
  }

  @Test
  void everyProblemIsReportedTogetherOneLineEach() {
    Entrypoint.Finished run = new Entrypoint(tmp)
        .env(RunnerEnvironment.RUNNER_TOKEN, TokenModeTest.TOKEN)
        .env(RunnerEnvironment.IDLE_TIMEOUT, "soon")
        .env(RunnerEnvironment.MAX_LIFETIME, "0")
        .env("ONESHOT_STOP_GRACE", "10m5h")
        .run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output().lines().filter(line -> line.startsWith("oneshot: ")))
        .contains("oneshot: RUNNER_URL is missing: token mode needs the URL to register at, such as"
            + " https://github.com/octo-org/app")
        .anyMatch(line -> line.startsWith("oneshot: RUNNER_NAME is missing: token mode needs a runner name"))
        .contains("oneshot: ONESHOT_IDLE_TIMEOUT: \"soon\" is not a positive duration; use whole seconds (600)"
            + " or h, m, s, ms units (90s, 10m, 1h30m, 500ms; ISO PT10M also works)")
        .anyMatch(line -> line.startsWith("oneshot: ONESHOT_MAX_LIFETIME: \"0\" is not a positive duration"))
        .anyMatch(line -> line.startsWith("oneshot: ONESHOT_STOP_GRACE: \"10m5h\" is not a positive duration"));
    assertThat(run.stubLog()).isEmpty();
  }

  @Test
  void aRunnerUrlMustBeHttp() {
    Entrypoint.Finished run = Entrypoint.token(tmp, TokenModeTest.TOKEN)
        .env(RunnerEnvironment.RUNNER_URL, "github.com/octo-org/app").run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output()).contains("RUNNER_URL: \"github.com/octo-org/app\" is not an http(s) URL");
  }

  @Test
  void aMissingRunnerFolderIsNamed() {
    Entrypoint.Finished run = Entrypoint.jit(tmp, JitModeTest.JIT)
        .env("ONESHOT_RUNNER_HOME", tmp.resolve("nowhere").toString()).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output()).contains("ONESHOT_RUNNER_HOME: no executable run.sh in " + tmp.resolve("nowhere"));
  }

  @Test
  void anUnwritableStateFolderIsNamed() {
    Entrypoint.Finished run = Entrypoint.jit(tmp, JitModeTest.JIT)
        .env("ONESHOT_STATE_DIR", "/proc/oneshot-state").run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output()).contains("ONESHOT_STATE_DIR: cannot write to /proc/oneshot-state");
  }

  @Test
  void coresDurationsAreAccepted() {
    // Core sends whole seconds with an s suffix.
    Entrypoint.Finished run = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "job")
        .env(RunnerEnvironment.IDLE_TIMEOUT, "600s").env(RunnerEnvironment.MAX_LIFETIME, "21600s").run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(run.output()).contains("jit mode; idle timeout 600s, maximum lifetime 21600s");
  }

  @Test
  void theDefaultsAreTenMinutesAndSixHours() {
    Entrypoint.Finished run = Entrypoint.jit(tmp, JitModeTest.JIT).env("STUB_RUN", "job").run();

    assertThat(run.output()).contains("idle timeout 600s, maximum lifetime 21600s");
  }
}
