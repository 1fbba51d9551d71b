package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.fakes.github.FakeRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action end to end on ECS: the CLI's main in a GitHub Actions environment against the fakes. */
class ActionModeEcsTest {
  @TempDir Path directory;
  private ActionFixture fixture;

  private ActionFixture fixture() {
    if (fixture == null) {
      fixture = new ActionFixture(directory);
    }
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void startWritesOutputsSummaryAndSendsTheSeedsLabels() throws Exception {
    ActionFixture action = fixture();
    action.input("count", "2");
    action.input("labels", "db\ncache");

    int code = action.runAction();

    assertThat(code).as(action.stderr).isZero();
    Map<String, String> outputs = action.outputs();
    String label = outputs.get("runner_id");
    assertThat(label).matches("dev-[a-z0-9]{16}");
    assertThat(outputs).containsEntry("id", label).containsEntry("label", label).containsEntry("backend", "ecs");
    ObjectMapper json = new ObjectMapper();
    List<?> names = json.readValue(outputs.get("runner_names"), List.class);
    List<?> arns = json.readValue(outputs.get("task_arns"), List.class);
    List<?> ips = json.readValue(outputs.get("ipaddrs"), List.class);
    assertThat(names).hasSize(2);
    assertThat(arns).hasSize(2).isEqualTo(json.readValue(outputs.get("resource_ids"), List.class));
    assertThat(ips).hasSize(2);
    assertThat(outputs.get("task_arn")).isEqualTo(arns.get(0));
    assertThat(outputs.get("ipaddr")).isEqualTo(ips.get(0));
    assertThat(action.github.runners("repos/octo-org/app")).hasSize(2).allSatisfy(runner -> {
      assertThat(runner.labels().subList(0, 8)).containsExactly("self-hosted", "Linux", "X64", "ephemeral", "dev", "db",
          "cache", label);
      assertThat(runner.labels().subList(8, runner.labels().size())).as("the owner and the registration's age")
          .hasSize(2).satisfiesExactly(owner -> assertThat(owner).startsWith("oneshot-owner-repos-octo-org-app-ecs-"),
              created -> assertThat(created).startsWith("oneshot-created-"));
    });
    assertThat(action.summaryText()).contains("| runner | GitHub id | state | container | IP | console | online after |")
        .contains((String) names.get(0)).contains((String) names.get(1)).contains(label);
    assertThat(action.stderr).contains("ONLINE");
  }

  @Test
  void secretsAreMaskedBeforeAnythingElseAndNeverPrinted() {
    ActionFixture action = fixture();

    action.runAction();

    List<String> lines = action.stdout.lines().toList();
    assertThat(lines.get(0)).isEqualTo("::add-mask::" + action.token);
    List<String> jitConfigs = action.ecs.tasks().stream()
        .map(task -> task.environment().get("ACTIONS_RUNNER_INPUT_JITCONFIG")).toList();
    assertThat(jitConfigs).isNotEmpty().allSatisfy(jit ->
        assertThat(lines).as("each JIT config is masked").contains("::add-mask::" + jit));
    for (String secret : action.github.issuedSecrets()) {
      assertThat(action.printedWithoutMasks()).doesNotContain(secret);
    }
    assertThat(action.summaryText()).doesNotContain(action.token);
  }

  @Test
  void stopLeavesNothingAndAStopWithNothingLeftSucceeds() {
    ActionFixture action = fixture();
    action.input("count", "2");
    assertThat(action.runAction()).isZero();
    String label = action.outputs().get("runner_id");
    action.input("mode", "stop");
    action.input("runner-id", label);

    assertThat(action.runAction()).as(action.stderr).isZero();
    action.clock.advance(Duration.ofMinutes(1));
    action.ecs.poll();

    assertThat(action.github.runners("repos/octo-org/app")).isEmpty();
    assertThat(action.ecs.tasks()).allMatch(task -> task.lastStatus().equals("STOPPED"));
    assertThat(action.runAction()).isZero();
    assertThat(action.stderr).contains("nothing left to stop");
  }

  @Test
  void stopLeavesABusyRunnerAndWarns() {
    ActionFixture action = fixture();
    assertThat(action.runAction()).isZero();
    String label = action.outputs().get("runner_id");
    action.ecs.runner(action.ecs.tasks().get(0).taskArn()).orElseThrow().acceptJob();
    action.input("mode", "stop");
    action.input("runner-id", label);

    assertThat(action.runAction()).isZero();

    assertThat(action.stdout).contains("::warning title=oneshot::1 runner(s) running a job were left alone");
    assertThat(action.github.runners("repos/octo-org/app")).extracting(FakeRunner::busy).containsExactly(true);
  }

  @Test
  void aRunnerThatFailsMakesTheStepFailWithTheReason() {
    ActionFixture action = fixture();
    action.ecs.faults().imagePullFailureNext(1);

    int code = action.runAction();

    assertThat(code).isEqualTo(1);
    assertThat(action.stdout).contains("::error title=oneshot::1 of 1 runner(s) did not come online")
        .contains("CannotPullContainerError");
    assertThat(action.outputs()).containsKey("runner_id");
    assertThat(action.github.runners("repos/octo-org/app")).isEmpty();
  }

  @Test
  void anUnwritableOutputFileFailsBeforeAnythingIsCreated() {
    ActionFixture action = fixture();
    action.environment.put("GITHUB_OUTPUT", directory.resolve("missing-folder").resolve("out").toString());

    assertThat(action.runAction()).isEqualTo(1);

    assertThat(action.stderr).contains("$GITHUB_OUTPUT").contains("cannot be written");
    assertThat(action.github.callCount()).isZero();
    assertThat(action.ecs.calls()).isEmpty();
  }

  @Test
  void sweepStopsAContainerWhoseRunnerNeverCameOnlineInOneRun() {
    ActionFixture action = fixture();
    action.ecs.faults().runnerNeverOnlineNext(1);
    action.input("wait", "false");
    assertThat(action.runAction()).isZero();
    action.clock.advance(Duration.ofMinutes(20));
    action.input("mode", "sweep");

    assertThat(action.runAction()).as(action.stderr).isZero();

    assertThat(action.stderr).contains("MARKED_NEVER_ONLINE").contains("looking again in 60 s")
        .contains("STOPPED_NEVER_ONLINE");
    assertThat(action.github.runners("repos/octo-org/app")).isEmpty();
    action.clock.advance(Duration.ofMinutes(1));
    action.ecs.poll();
    assertThat(action.ecs.tasks()).allMatch(task -> task.lastStatus().equals("STOPPED"));
  }

  @Test
  void startAndStatusPrintStableJsonOnTheCommandLine() throws Exception {
    ActionFixture action = fixture();

    int code = action.runCli("start", "--context", "octo-org/app", "--name", "dev", "--region", "us-east-1",
        "--task-definition", "oneshot", "--subnets-tag", "oneshot:runners", "--count", "2", "--output", "json");

    assertThat(code).as(action.stderr).isZero();
    ObjectMapper json = new ObjectMapper();
    var started = json.readTree(action.stdout);
    String label = started.get("runner_id").asText();
    assertThat(label).matches("dev-[a-z0-9]{16}");
    assertThat(started.get("backend").asText()).isEqualTo("ecs");
    assertThat(started.get("succeeded").asBoolean()).isTrue();
    assertThat(started.get("runners")).hasSize(2).allSatisfy(runner -> {
      assertThat(runner.get("state").asText()).isEqualTo("online");
      assertThat(runner.get("resource_id").asText()).startsWith("arn:aws:ecs:");
      assertThat(runner.get("github_id").isNumber()).isTrue();
      assertThat(runner.has("ip")).isTrue();
      assertThat(runner.has("online_after_seconds")).isTrue();
    });
    assertThat(action.stdout).doesNotContain(action.token);

    assertThat(action.runCli("status", "--context", "octo-org/app", "--region", "us-east-1", "--runner-id", label,
        "--output", "json")).as(action.stderr).isZero();
    var status = json.readTree(action.stdout);
    assertThat(status.get("runner_id").asText()).isEqualTo(label);
    assertThat(status.get("registrations")).hasSize(2).allSatisfy(r -> assertThat(r.get("status").asText())
        .isEqualTo("online"));
    assertThat(status.get("containers")).hasSize(2).allSatisfy(c -> assertThat(c.get("state").asText())
        .isEqualTo("running"));
  }

  @Test
  void aStopWithoutRunnerIdStopsEveryBatchOfThisWorkflowRunAndNoOther() {
    ActionFixture action = fixture();
    action.environment.put("GITHUB_RUN_ID", "9001");
    assertThat(action.runAction()).as(action.stderr).isZero();
    assertThat(action.runAction()).as(action.stderr).isZero();
    action.environment.put("GITHUB_RUN_ID", "9002");
    assertThat(action.runAction()).as(action.stderr).isZero();
    String otherRun = action.outputs().get("runner_id");
    assertThat(action.ecs.tasks()).hasSize(3)
        .allSatisfy(task -> assertThat(task.tags()).containsKey("oneshot-run"));
    action.environment.put("GITHUB_RUN_ID", "9001");
    action.environment.keySet().removeIf(name -> name.startsWith("INPUT_"));
    action.input("mode", "stop");
    action.input("name", "dev");
    action.input("region", "us-east-1");
    action.input("token", action.token);

    assertThat(action.runAction()).as(action.stderr).isZero();

    assertThat(action.stderr).contains("stopping every batch of workflow run 9001");
    assertThat(action.github.runners("repos/octo-org/app")).as("only the other run's runner is left")
        .allSatisfy(runner -> assertThat(runner.labels()).contains(otherRun)).hasSize(1);
    action.clock.advance(Duration.ofMinutes(1));
    action.ecs.poll();
    assertThat(action.ecs.tasks()).filteredOn(task -> !task.lastStatus().equals("STOPPED")).hasSize(1)
        .allSatisfy(task -> assertThat(task.tags()).containsEntry("oneshot-run", "9002"));
  }

  @Test
  void debugOneIsAcceptedLikeRunnerDebug() {
    ActionFixture action = fixture();
    action.input("debug", "1");

    assertThat(action.runAction()).as(action.stderr).isZero();

    assertThat(action.stderr).contains("REGISTERED");
  }

  @Test
  void noWaitIsAFlagThatStartsWithoutWaiting() throws Exception {
    ActionFixture action = fixture();

    int code = action.runCli("start", "--context", "octo-org/app", "--name", "dev", "--region", "us-east-1",
        "--task-definition", "oneshot", "--subnets-tag", "oneshot:runners", "--no-wait", "--output", "json");

    assertThat(code).as(action.stderr).isZero();
    var started = new ObjectMapper().readTree(action.stdout);
    assertThat(started.get("runners")).hasSize(1)
        .allSatisfy(runner -> assertThat(runner.get("state").asText()).isEqualTo("launched"));
  }

  @Test
  void aStartWithoutSealingWarnsThatTheJitConfigsAreReadable() {
    ActionFixture action = fixture();

    assertThat(action.runAction()).as(action.stderr).isZero();

    assertThat(action.stdout).contains("::warning title=oneshot::the runners' JIT configs are readable from ecs's"
        + " control plane").contains("seal-public-key");
  }

  @Test
  void inAWorkflowTheRunnersAreBoundToItsRepositoryAndRunUnlessTurnedOff() {
    ActionFixture action = fixture();
    action.environment.put("GITHUB_RUN_ID", "5150");
    assertThat(action.runAction()).as(action.stderr).isZero();
    action.input("run-binding", "false");
    assertThat(action.runAction()).as(action.stderr).isZero();

    assertThat(action.ecs.tasks()).hasSize(2);
    assertThat(action.ecs.tasks().get(0).environment()).containsEntry("ONESHOT_BOUND_REPOSITORY", "octo-org/app")
        .containsEntry("ONESHOT_BOUND_RUN_ID", "5150");
    assertThat(action.ecs.tasks().get(1).environment()).doesNotContainKeys("ONESHOT_BOUND_REPOSITORY",
        "ONESHOT_BOUND_RUN_ID");
  }

  @Test
  void aStopThatCouldNotTerminateAContainerFailsTheStepSayingWhich() {
    ActionFixture action = fixture();
    assertThat(action.runAction()).isZero();
    String label = action.outputs().get("runner_id");
    action.ecs.faults().accessDeniedNext("StopTask", 1);
    action.input("mode", "stop");
    action.input("runner-id", label);

    assertThat(action.runAction()).as(action.stderr).isEqualTo(1);

    assertThat(action.stdout).contains("::error title=oneshot::1 runner(s) not fully stopped")
        .contains("TERMINATE_FAILED");
    assertThat(action.runAction()).as("the stop run again ends it").isZero();
  }
}
