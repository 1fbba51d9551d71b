package io.oneshot.fakes.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.RunJobRequest;
import io.oneshot.fakes.TestClock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Cloud Run refuses, the fake refuses, with the real client seeing Cloud Run's status codes. */
class FakeCloudRunValidationTest {
  private final CloudRunClientFixture fixture = new CloudRunClientFixture(null, TestClock.atEpochOfTests(), 2);

  @AfterEach
  void close() {
    fixture.close();
  }

  private static StatusCode.Code code(Throwable e) {
    return ((ApiException) e).getStatusCode().getCode();
  }

  private void assertRefused(RunJobRequest request, StatusCode.Code code, String message) {
    assertThatThrownBy(() -> fixture.jobs.runJobCallable().call(request))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(code(e)).isEqualTo(code))
        .hasMessageContaining(message);
  }

  private RunJobRequest withOverrides(RunJobRequest.Overrides.Builder overrides) {
    return RunJobRequest.newBuilder().setName(fixture.job).setOverrides(overrides).build();
  }

  private static RunJobRequest.Overrides.Builder env(String name, String value) {
    return RunJobRequest.Overrides.newBuilder().addContainerOverrides(RunJobRequest.Overrides.ContainerOverride
        .newBuilder().setName("runner").addEnv(EnvVar.newBuilder().setName(name).setValue(value)));
  }

  @Test
  void unknownJobsAndMalformedNamesAreRefused() {
    assertRefused(RunJobRequest.newBuilder().setName(fixture.cloudRun.jobName("nope")).build(), StatusCode.Code.NOT_FOUND,
        "Resource 'nope' of kind 'JOB' in region 'us-central1' in project 'oneshot-test' does not exist.");
    assertRefused(RunJobRequest.newBuilder().setName("projects/other/locations/us-central1/jobs/gh-runner").build(),
        StatusCode.Code.NOT_FOUND, "in project 'other' does not exist");
    assertRefused(RunJobRequest.newBuilder().setName("gh-runner").build(), StatusCode.Code.INVALID_ARGUMENT,
        "Expected the form projects/{project}/locations/{location}/jobs/{job}");
    assertThatThrownBy(() -> fixture.executions.getExecution(fixture.job + "/executions/gh-runner-zzzzz"))
        .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.NOT_FOUND))
        .hasMessageContaining("Resource 'gh-runner-zzzzz' of kind 'EXECUTION'");
  }

  @Test
  void overridesAreCheckedAsCloudRunChecksThem() {
    assertRefused(withOverrides(RunJobRequest.Overrides.newBuilder().setTaskCount(-1)), StatusCode.Code.INVALID_ARGUMENT,
        "overrides.task_count");
    assertRefused(withOverrides(RunJobRequest.Overrides.newBuilder()
        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(169L * 3600))), StatusCode.Code.INVALID_ARGUMENT,
        "maximum task timeout of 168h");
    assertRefused(withOverrides(RunJobRequest.Overrides.newBuilder().addContainerOverrides(
        RunJobRequest.Overrides.ContainerOverride.newBuilder().setName("web"))), StatusCode.Code.INVALID_ARGUMENT,
        "container 'web' is not a container of job 'gh-runner'");
    assertRefused(withOverrides(env("CLOUD_RUN_TASK_INDEX", "1")), StatusCode.Code.INVALID_ARGUMENT,
        "The following reserved env names were provided: CLOUD_RUN_TASK_INDEX");
    assertRefused(withOverrides(env("1BAD", "x")), StatusCode.Code.INVALID_ARGUMENT, "must not start with a digit");
    assertRefused(withOverrides(env("A=B", "x")), StatusCode.Code.INVALID_ARGUMENT, "'A=B'");
    assertRefused(withOverrides(env("BIG", "x".repeat(32769))), StatusCode.Code.INVALID_ARGUMENT, "32768 bytes");

    assertThat(fixture.cloudRun.executions()).isEmpty();
    assertThat(fixture.cloudRun.rejectedRequests()).hasSize(7)
        .allSatisfy(r -> assertThat(r).startsWith("RunJob: INVALID_ARGUMENT: "));
  }

  @Test
  void taskCountZeroKeepsTheJobsAndArgsAreReplacedOrCleared() throws Exception {
    RunJobRequest.Overrides.Builder overrides = RunJobRequest.Overrides.newBuilder().addContainerOverrides(
        RunJobRequest.Overrides.ContainerOverride.newBuilder().setName("runner").addArgs("--once"));
    Execution execution = fixture.jobs.runJobCallable().call(withOverrides(overrides)).getMetadata()
        .unpack(Execution.class);

    assertThat(execution.getTaskCount()).isEqualTo(1);
    assertThat(execution.getTemplate().getContainers(0).getArgsList()).containsExactly("--once");
    assertThat(execution.getTemplate().getTimeout().getSeconds()).isEqualTo(3600);
  }

  @Test
  void listExecutionsPagesNewestFirstWithoutDuplicates() throws Exception {
    List<String> created = IntStream.range(0, 250).mapToObj(i -> {
      try {
        return fixture.jobs.runJobCallable().call(fixture.run(Map.of("N", Integer.toString(i)))).getMetadata()
            .unpack(Execution.class).getName();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();

    var pages = fixture.executions.listExecutions(ListExecutionsRequest.newBuilder().setParent(fixture.job).build())
        .iteratePages();
    List<Integer> sizes = new java.util.ArrayList<>();
    List<String> seen = new java.util.ArrayList<>();
    pages.forEach(page -> {
      sizes.add(page.getPageElementCount());
      page.getValues().forEach(e -> seen.add(e.getName()));
    });

    assertThat(sizes).containsExactly(100, 100, 50);
    Set<String> unique = new HashSet<>(seen);
    assertThat(unique).hasSize(250);
    assertThat(seen.get(0)).isEqualTo(created.get(249));
    assertThat(seen.get(249)).isEqualTo(created.get(0));
    assertThatThrownBy(() -> fixture.executions.listExecutions(ListExecutionsRequest.newBuilder()
        .setParent(fixture.job).setPageToken("bm90LWEtdG9rZW4").build()).getPage())
        .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.INVALID_ARGUMENT));
  }

  @Test
  void deletedExecutionsAreGoneUnlessShowDeleted() throws Exception {
    String name = fixture.jobs.runJobCallable().call(fixture.run(Map.of())).getMetadata().unpack(Execution.class)
        .getName();

    var deleted = fixture.executions.deleteExecutionCallable().call(
        com.google.cloud.run.v2.DeleteExecutionRequest.newBuilder().setName(name).build());

    assertThat(deleted.getDone()).isTrue();
    assertThat(deleted.getResponse().unpack(Execution.class).hasDeleteTime()).isTrue();
    assertThatThrownBy(() -> fixture.executions.getExecution(name))
        .satisfies(e -> assertThat(code(e)).isEqualTo(StatusCode.Code.NOT_FOUND));
    assertThat(fixture.executions.listExecutions(fixture.job).iterateAll()).isEmpty();
    assertThat(fixture.executions.listExecutions(ListExecutionsRequest.newBuilder().setParent(fixture.job)
        .setShowDeleted(true).build()).iterateAll()).extracting(Execution::getName).containsExactly(name);
    assertThat(fixture.cloudRun.executions().stream().map(FakeExecution::name).collect(Collectors.toList())).isEmpty();
  }
}
