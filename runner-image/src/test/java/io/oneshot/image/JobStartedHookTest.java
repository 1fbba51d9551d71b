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

  static Map<String, String> job(String repository, String runId, String... more) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("GITHUB_REPOSITORY", repository);
    env.put("GITHUB_RUN_ID", runId);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  Result runJob(Map<String, String> env) throws IOException, InterruptedException {
    Map<String, String> withState = new java.util.HashMap<>(env);
    withState.put("ONESHOT_STATE_DIR", tmp.resolve("state").toString());
    return runHook(withState);
  }

  @Test
  void aJobOfTheBoundRepositoryAndRunStartsSilently() throws Exception {
    Result result = runJob(job("octo-org/app", "42", "ONESHOT_BOUND_REPOSITORY", "Octo-Org/App",
        "ONESHOT_BOUND_RUN_ID", "42"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).isEmpty();
    assertThat(tmp.resolve("state/job-started")).exists();
  }

  @Test
  void aJobOfAnotherRepositoryFailsBeforeAnyStepWithOneLineNamingBoth() throws Exception {
    Path userHook = Files.writeString(tmp.resolve("user.sh"), "echo user hook ran\n");

    Result result = runJob(job("mallory/fork", "42", "ONESHOT_BOUND_REPOSITORY", "octo-org/app",
        "ONESHOT_BOUND_RUN_ID", "42", "ONESHOT_USER_JOB_STARTED_HOOK", userHook.toString()));

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).isEqualTo("oneshot: this runner is bound to repository octo-org/app run 42; refusing"
        + " a job of repository mallory/fork run 42 (ONESHOT_RUN_BINDING=off turns the check off)\n");
    assertThat(tmp.resolve("state/job-started")).doesNotExist();
  }

  @Test
  void aJobOfAnotherRunOfTheSameRepositoryFails() throws Exception {
    Result result = runJob(job("octo-org/app", "43", "ONESHOT_BOUND_REPOSITORY", "octo-org/app",
        "ONESHOT_BOUND_RUN_ID", "42"));

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("bound to repository octo-org/app run 42")
        .contains("refusing a job of repository octo-org/app run 43").hasLineCount(1);
  }

  @Test
  void aJobWhoseRepositoryTheRunnerDidNotSayIsRefused() throws Exception {
    Map<String, String> env = job("x", "1", "ONESHOT_BOUND_REPOSITORY", "octo-org/app");
    env.remove("GITHUB_REPOSITORY");
    env.remove("GITHUB_RUN_ID");

    Result result = runJob(env);

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("run (any); refusing a job of repository (unknown) run (unknown)");
  }

  @Test
  void onlyTheBoundValuesAreChecked() throws Exception {
    assertThat(runJob(job("octo-org/app", "99", "ONESHOT_BOUND_REPOSITORY", "octo-org/app")).exitCode()).isZero();
    assertThat(runJob(job("other/repo", "42", "ONESHOT_BOUND_RUN_ID", "42")).exitCode()).isZero();
    assertThat(runJob(job("other/repo", "43", "ONESHOT_BOUND_RUN_ID", "42")).exitCode()).isNotZero();
  }

  @Test
  void runBindingOffLetsAnyJobStart() throws Exception {
    Result result = runJob(job("mallory/fork", "7", "ONESHOT_BOUND_REPOSITORY", "octo-org/app",
        "ONESHOT_BOUND_RUN_ID", "42", "ONESHOT_RUN_BINDING", "OFF"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).isEmpty();
  }

  @Test
  void unboundRunnersCheckNothing() throws Exception {
    Result result = runJob(job("anyone/anything", "1"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).isEmpty();
  }

  @Test
  void aRefusedJobRunThroughTheEntrypointFailsItsHookAndTheRunnerGoesOn() {
    Entrypoint entrypoint = Entrypoint.jit(tmp.resolve("e"), "eyJydW5uZXIiOiJib3VuZCJ9").env("STUB_RUN", "job")
        .env("ONESHOT_BOUND_REPOSITORY", "octo-org/app").env("ONESHOT_BOUND_RUN_ID", "42")
        .env("GITHUB_REPOSITORY", "mallory/fork").env("GITHUB_RUN_ID", "42");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.stubSaw("run.sh hook exited 1")).isTrue();
    assertThat(run.output()).contains("refusing a job of repository mallory/fork run 42");
  }
}
