package io.oneshot.fakes.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Task;
import com.google.longrunning.Operation;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An execution's life as the real client sees it: RunJob's operation, the runner, the end, the LRO. */
class FakeCloudRunLifecycleTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(9).build();
  private final CloudRunClientFixture fixture = new CloudRunClientFixture(github, clock, 1);
  private final GitHubClient client;

  FakeCloudRunLifecycleTest() {
    github.addOrganization("octo");
    client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper()).build();
  }

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      github.close();
    }
  }

  private String jit(String name) {
    return client.generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted"), "_work")).encodedJitConfig();
  }

  private static Condition completed(Execution execution) {
    return execution.getConditionsList().stream().filter(c -> c.getType().equals("Completed")).findFirst().orElseThrow();
  }

  @Test
  void runJobAnswersAnUnfinishedOperationWhoseMetadataIsTheExecution() throws Exception {
    Operation operation = fixture.jobs.runJobCallable().call(fixture.run(Map.of("ACTIONS_RUNNER_INPUT_JITCONFIG",
        jit("life-1"), "ONESHOT_OWNER", "team")));

    Execution execution = operation.getMetadata().unpack(Execution.class);
    assertThat(operation.getDone()).isFalse();
    assertThat(operation.getName()).startsWith("projects/oneshot-test/locations/us-central1/operations/");
    assertThat(execution.getName()).matches("projects/oneshot-test/locations/us-central1/jobs/gh-runner/executions/"
        + "gh-runner-[a-z0-9]{5}");
    assertThat(execution.getJob()).isEqualTo("gh-runner");
    assertThat(execution.getTaskCount()).isEqualTo(1);
    assertThat(execution.getTemplate().getTimeout().getSeconds()).isEqualTo(3600);
    assertThat(execution.getTemplate().getContainers(0).getEnvList()).extracting(e -> e.getName())
        .containsExactlyInAnyOrder("ACTIONS_RUNNER_INPUT_JITCONFIG", "ONESHOT_OWNER");
    assertThat(completed(execution).getState()).isEqualTo(Condition.State.CONDITION_PENDING);
    assertThat(fixture.jobs.getJob(fixture.job).getLatestCreatedExecution().getName()).isEqualTo(execution.getName());
  }

  @Test
  void theRunnerStartsFromTheOverrideEnvAndItsExitEndsTheExecutionAndTheOperation() throws Exception {
    Operation operation = fixture.jobs.runJobCallable().call(fixture.run(Map.of("ACTIONS_RUNNER_INPUT_JITCONFIG",
        jit("life-2"))));
    String name = operation.getMetadata().unpack(Execution.class).getName();

    clock.advance(Duration.ofSeconds(12));
    Execution running = fixture.executions.getExecution(name);
    SimulatedRunner runner = fixture.cloudRun.runner(name).orElseThrow();
    assertThat(running.getRunningCount()).isEqualTo(1);
    assertThat(running.hasStartTime()).isTrue();
    assertThat(runner.isOnline()).isTrue();
    assertThat(github.runners("orgs/octo")).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("life-2"));

    runner.acceptJob();
    runner.finishJob();
    Execution done = fixture.executions.getExecution(name);
    Execution fromOperation = fixture.jobs.runJobOperationCallable().resumeFutureCall(operation.getName()).get();

    assertThat(done.getSucceededCount()).isEqualTo(1);
    assertThat(done.getRunningCount()).isZero();
    assertThat(done.hasCompletionTime()).isTrue();
    assertThat(completed(done).getState()).isEqualTo(Condition.State.CONDITION_SUCCEEDED);
    assertThat(fromOperation.getName()).isEqualTo(name);
    assertThat(fixture.cloudRun.callCount("GetOperation")).isPositive();
    Task task = fixture.tasks.listTasks(name).iterateAll().iterator().next();
    assertThat(task.getLastAttemptResult().getExitCode()).isZero();
    assertThat(fixture.tasks.getTask(task.getName()).getIndex()).isZero();
  }

  @Test
  void aCrashIsANonZeroExitWithTheCodeOnTheTask() throws Exception {
    String name = fixture.jobs.runJobCallable().call(fixture.run(Map.of("ACTIONS_RUNNER_INPUT_JITCONFIG",
        jit("life-3")))).getMetadata().unpack(Execution.class).getName();
    clock.advance(Duration.ofSeconds(12));

    fixture.cloudRun.runner(name).orElseThrow().crash(3);

    Execution failed = fixture.executions.getExecution(name);
    assertThat(failed.getFailedCount()).isEqualTo(1);
    assertThat(completed(failed).getExecutionReason()).isEqualTo(Condition.ExecutionReason.NON_ZERO_EXIT_CODE);
    assertThat(completed(failed).getMessage()).isEqualTo("Task " + failed.getName().substring(failed.getName()
        .lastIndexOf('/') + 1) + "-task0 failed with message: The container exited with an error.");
    assertThat(fixture.tasks.listTasks(name).iterateAll().iterator().next().getLastAttemptResult().getExitCode())
        .isEqualTo(3);
  }

  @Test
  void cancelStopsTheRunnerThenCancelsAndARepeatWhileCancellingIsAccepted() throws Exception {
    String name = fixture.jobs.runJobCallable().call(fixture.run(Map.of("ACTIONS_RUNNER_INPUT_JITCONFIG",
        jit("life-4")))).getMetadata().unpack(Execution.class).getName();
    clock.advance(Duration.ofSeconds(12));
    SimulatedRunner runner = fixture.cloudRun.runner(name).orElseThrow();

    Operation cancel = fixture.executions.cancelExecutionCallable().call(
        com.google.cloud.run.v2.CancelExecutionRequest.newBuilder().setName(name).build());
    fixture.executions.cancelExecutionCallable().call(
        com.google.cloud.run.v2.CancelExecutionRequest.newBuilder().setName(name).build());

    assertThat(cancel.getDone()).isFalse();
    assertThat(runner.exitCode()).contains(SimulatedRunner.SIGTERM_EXIT_CODE);
    assertThat(completed(fixture.executions.getExecution(name)).getExecutionReason())
        .isEqualTo(Condition.ExecutionReason.CANCELLING);
    clock.advance(Duration.ofSeconds(5));
    Execution cancelled = fixture.executions.getExecution(name);
    assertThat(cancelled.getCancelledCount()).isEqualTo(1);
    assertThat(completed(cancelled).getExecutionReason()).isEqualTo(Condition.ExecutionReason.CANCELLED);
    assertThat(fixture.cloudRun.execution(name).orElseThrow().state()).isEqualTo("CANCELLED");
  }

  @Test
  void theTaskTimeoutStopsALongRunner() throws Exception {
    var request = fixture.run(Map.of("ACTIONS_RUNNER_INPUT_JITCONFIG", jit("life-5")));
    request = request.toBuilder().setOverrides(request.getOverrides().toBuilder()
        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(60))).build();
    String name = fixture.jobs.runJobCallable().call(request).getMetadata().unpack(Execution.class).getName();

    clock.advance(Duration.ofSeconds(70));

    Execution failed = fixture.executions.getExecution(name);
    assertThat(failed.getFailedCount()).isEqualTo(1);
    assertThat(completed(failed).getMessage()).endsWith("The configured timeout was reached.");
    assertThat(fixture.cloudRun.execution(name).orElseThrow().exitCode()).contains(SimulatedRunner.SIGTERM_EXIT_CODE);
  }
}
