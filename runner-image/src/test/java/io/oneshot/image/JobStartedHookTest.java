package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job-started hook, run the way the runner runs it: {@code bash -e job-started.sh}. */
class JobStartedHookTest {
  @TempDir
  Path tmp;

  record Result(int exitCode, String output) {}

  Result runHook(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-e", Entrypoint.HOOK.toString()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  @Test
  void itLeavesTheMarkerAndPrintsNothingIntoTheJobLog() throws Exception {
    Path state = tmp.resolve("state");

    Result result = runHook(Map.of("ONESHOT_STATE_DIR", state.toString()));

    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).isEmpty();
    assertThat(state.resolve("job-started")).exists();
  }

  @Test
  void theImagesOwnHookRunsAfterItAndItsFailureFailsTheJob() throws Exception {
    Path userHook = tmp.resolve("user.sh");
    Files.writeString(userHook, "echo user hook ran\nfalse\necho not reached\n");

    Result result = runHook(Map.of("ONESHOT_STATE_DIR", tmp.resolve("state").toString(),
        "ONESHOT_USER_JOB_STARTED_HOOK", userHook.toString()));

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).isEqualTo("user hook ran\n");
    assertThat(tmp.resolve("state/job-started")).exists();
  }

  @Test
  void anUnwritableStateFolderDoesNotFailTheJob() throws Exception {
    Result result = runHook(Map.of("ONESHOT_STATE_DIR", "/proc/oneshot-state"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).contains("could not record the job start in /proc/oneshot-state");
  }
}
