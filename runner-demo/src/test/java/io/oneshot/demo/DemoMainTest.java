package io.oneshot.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./oneshot demo} on each backend: start, simulated jobs, stop, nothing left; secrets never shown. */
class DemoMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return DemoMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theDemoStartsRunsJobsStopsAndLeavesNothing() {
    int code = run("--count", "2");

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed).contains("runner_id = dev-").contains("| runner | GitHub id |")
        .contains("ran a job").contains("left behind: 0 registered runner(s), 0 running container(s)")
        .doesNotContain("eyJ");
  }

  @Test
  void theDemoRunsOnCloudRunToo() {
    int code = run("--backend", "cloudrun", "--count", "2");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("fake Cloud Run at 127.0.0.1:")
        .contains("projects/demo-project/locations/europe-west1/jobs/gh-runner/executions/")
        .contains("left behind: 0 registered runner(s), 0 running container(s)");
  }

  @Test
  void aBackendWithoutADemoIsAUsageError() {
    assertThat(run("--backend", "nomad")).isEqualTo(2);
  }

  @Test
  void theDemoRunsOnAciOverHttps() {
    int code = run("--backend", "aci", "--count", "2");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("fake Azure Resource Manager at https://127.0.0.1:")
        .contains("Microsoft.ContainerInstance/containerGroups/dev-")
        .contains("left behind: 0 registered runner(s), 0 running container(s)");
  }

  @Test
  void aLeadingDemoWordIsAcceptedAsTheScriptPassesIt() {
    assertThat(run("demo", "--count", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--count 0 is out of range");
  }

  @Test
  void theServeDemoQueuesJobsRunsThemAndEndsWithNothingLeft() {
    int code = run("demo", "serve", "--jobs", "3");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("jobs use runs-on: ci-private")
        .contains("3 workflow jobs with runs-on: ci-private are queued")
        .contains("0 queued, 0 waiting for a runner, 0 running, 3 done | containers: 0 running, 3 launched")
        .contains("left behind: 0 registered runner(s), 0 running container(s), no session")
        .doesNotContain("eyJ");
  }

  @Test
  void theServeDemoRunsOnAciWhoseFinishedGroupsTheJanitorDeletes() {
    int code = run("demo", "serve", "--backend", "aci", "--jobs", "2");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("left behind: 0 registered runner(s), 0 running container(s), no session");
  }

  @Test
  void theServeDemoChecksItsJobCount() {
    assertThat(run("demo", "serve", "--jobs", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--jobs 0 is out of range");
  }
}
