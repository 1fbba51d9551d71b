package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.github.GitHubClient;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.SettingProblem;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ECS launcher for stop, sweep and status (only the scope settings, no lookups), every launch setting
 * reaching RunTask, and transport failures mapped, with the real SDK against the fake ECS and EC2.
 */
class EcsManageAndWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOOKUPS = List.of("DescribeTaskDefinition", "DescribeSubnets",
      "DescribeSecurityGroups");
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final EcsFixture fixture = new EcsFixture(github, clock);
  private int names;

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private LaunchSpec spec() {
    String name = String.format("ecs-%08d", ++names);
    return org.jitLaunchSpec(name, List.of("self-hosted", "ecs"), Map.of(), 0);
  }

  private RunnerLauncher manageLauncher() {
    return fixture.manageLauncher();
  }

  private int lookups() {
    return LOOKUPS.stream().mapToInt(fixture.ecs::callCount).sum();
  }

  private JsonNode lastRunTask() throws Exception {
    List<String> bodies = fixture.ecs.requestBodies("RunTask");
    return JSON.readTree(bodies.get(bodies.size() - 1));
  }

  @Test
  void aManageLauncherFromTheScopeAloneListsDescribesAndStopsWhatAStartLauncherLaunched() {
    EcsRunnerLauncher start = fixture.launcher("task-definition", "two-containers", "container-name", "runner");
    fixture.ecs.faults().runnerCrashOnBootNext(1, 3);
    LaunchedRunner crashed = start.launch(spec());
    LaunchedRunner running = start.launch(spec());
    int lookupsBefore = lookups();

    RunnerLauncher manage = manageLauncher();
    clock.advance(Duration.ofMinutes(2));
    fixture.ecs.poll();

    assertThat(manage.listOwned("team")).extracting(LaunchedRunner::resourceId)
        .containsExactlyInAnyOrder(crashed.resourceId(), running.resourceId());
    ContainerStatus status = manage.describe(crashed);
    assertThat(status.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(status.exitCode()).contains(3);
    assertThat(status.failure()).contains(FailureKind.EXITED);
    assertThat(manage.describe(running).state()).isEqualTo(ContainerState.RUNNING);
    manage.terminate(running, "stop step");
    manage.terminate(running, "stop step again");
    assertThat(fixture.ecs.task(running.resourceId()).orElseThrow().desiredStatus()).isEqualTo("STOPPED");
    assertThat(lookups()).isEqualTo(lookupsBefore);
    assertThatThrownBy(() -> manage.launch(spec())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stop/sweep/status");
    assertThat(manage.capabilities().capacityOptions()).isEqualTo(1);
  }

  @Test
  void listOwnedListsByClusterAndDesiredStatusWithoutStartedByAndKeepsOnlyTheOwnersTags() throws Exception {
    EcsRunnerLauncher start = fixture.launcher();
    LaunchedRunner ours = start.launch(spec());
    LaunchSpec foreign = spec();
    LaunchedRunner theirs = start.launch(new LaunchSpec(foreign.runnerName(), foreign.labels(), foreign.credential(),
        Map.of(), foreign.maxLifetime(), foreign.idleTimeout(), Map.of(OwnershipTags.OWNER, "another-team"),
        foreign.idempotencyKey(), 0));

    assertThat(manageLauncher().listOwned("team")).extracting(LaunchedRunner::resourceId)
        .containsExactly(ours.resourceId()).doesNotContain(theirs.resourceId());
    List<JsonNode> lists = new java.util.ArrayList<>();
    for (String body : fixture.ecs.requestBodies("ListTasks")) {
      lists.add(JSON.readTree(body));
    }
    assertThat(lists).extracting(b -> b.path("desiredStatus").asText()).containsExactly("RUNNING", "STOPPED");
    assertThat(lists).allSatisfy(b -> {
      assertThat(b.has("startedBy")).isFalse();
      assertThat(b.path("cluster").asText()).isEqualTo("runners");
    });
    assertThat(fixture.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void theScopeKeyIsRegionAndClusterNameHoweverTheClusterIsGiven() {
    assertThat(manageLauncher().scopeKey()).isEqualTo("ecs/us-east-1/runners");
    assertThat(fixture.launcher().scopeKey()).isEqualTo("ecs/us-east-1/runners");
    EcsRunnerLauncher byArn = fixture.launcher(new BackendSettings(Map.of("region", "us-east-1",
        "cluster", "arn:aws:ecs:us-east-1:123456789012:cluster/runners", "endpoint", fixture.ecs.endpoint().toString()),
        clock, LauncherPurpose.MANAGE));
    assertThat(byArn.scopeKey()).isEqualTo("ecs/us-east-1/runners");
    EcsRunnerLauncher otherCluster = fixture.launcher(new BackendSettings(Map.of("region", "us-east-1",
        "cluster", "blue", "endpoint", fixture.ecs.endpoint().toString()), clock, LauncherPurpose.MANAGE));
    assertThat(otherCluster.scopeKey()).isEqualTo("ecs/us-east-1/blue");
  }

  @Test
  void aManageLauncherAndAStartLauncherOnOneClusterGiveOneOwnerAndAnotherClusterAnother() {
    io.oneshot.github.GitHubScope scope = io.oneshot.github.GitHubScope.parse("octo");
    EcsRunnerLauncher otherCluster = fixture.launcher(new BackendSettings(Map.of("region", "us-east-1",
        "cluster", "blue", "endpoint", fixture.ecs.endpoint().toString()), clock, LauncherPurpose.MANAGE));

    assertThat(io.oneshot.core.FleetOwner.of(scope, manageLauncher()))
        .isEqualTo(io.oneshot.core.FleetOwner.of(scope, fixture.launcher()))
        .isNotEqualTo(io.oneshot.core.FleetOwner.of(scope, otherCluster));
  }

  @Test
  void aManageLauncherNeedsNoSubnetsOrTaskDefinitionAndChecksOnlyTheScope() {
    assertThatThrownBy(() -> new EcsLauncherProvider().create(new BackendSettings(Map.of("region", "mars",
        "cluster", "a b", "subnets", "nonsense", "launch-type", "LAMBDA"), clock, LauncherPurpose.MANAGE)))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("region", "cluster"));
    manageLauncher().close();
    assertThat(lookups()).isZero();
  }

  @Test
  void platformVersionReachesRunTask() throws Exception {
    fixture.launcher("platform-version", "1.4.0").launch(spec());

    assertThat(lastRunTask().path("platformVersion").asText()).isEqualTo("1.4.0");
    assertThat(fixture.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void cpuAndMemoryAreTaskOverrides() throws Exception {
    fixture.launcher("cpu", "2048", "memory", "4096").launch(spec());

    JsonNode overrides = lastRunTask().path("overrides");
    assertThat(overrides.path("cpu").asText()).isEqualTo("2048");
    assertThat(overrides.path("memory").asText()).isEqualTo("4096");
    assertThat(fixture.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void containerNameIsTheOverriddenContainer() throws Exception {
    fixture.launcher("task-definition", "two-containers", "container-name", "runner").launch(spec());

    assertThat(lastRunTask().path("overrides").path("containerOverrides").get(0).path("name").asText())
        .isEqualTo("runner");
    assertThat(fixture.ecs.tasks().get(0).environment()).containsKey("ACTIONS_RUNNER_INPUT_JITCONFIG");
  }

  @Test
  void assignPublicIpIsEnabledWhenTrue() {
    fixture.launcher("assign-public-ip", "true").launch(spec());

    assertThat(fixture.ecs.tasks().get(0).assignPublicIp()).contains("ENABLED");
  }

  @Test
  void platformVersionWithEc2IsRefusedUpFrontAsEcsWould() {
    assertThatThrownBy(() -> fixture.launcher("launch-type", "EC2", "platform-version", "1.4.0"))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("platform-version"));
  }

  @Test
  void aTaskDefinitionFromNameThatEcsDoesNotKnowSaysWhereItCameFrom() {
    Map<String, String> values = fixture.settings();
    values.remove("task-definition");
    values.put("name", "no-such-family");

    assertThatThrownBy(() -> fixture.launcher(new BackendSettings(values, clock)))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details()).singleElement()
            .satisfies(p -> {
              assertThat(p.input()).isEqualTo("task-definition");
              assertThat(p.message()).startsWith("task-definition 'no-such-family' (from name, its default) could"
                  + " not be read");
            }));
  }

  @Test
  void aConnectionResetAtRunTaskIsAThrottledRetryableLaunchFailure() {
    EcsRunnerLauncher launcher = fixture.launcher();
    fixture.ecs.faults().resetNext("RunTask", 10);

    assertThatThrownBy(() -> launcher.launch(spec()))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("ecs:RunTask").contains("no answer from AWS");
        });
  }

  @Test
  void connectionResetsInDescribeTerminateAndListAreRetryable() {
    EcsRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec());
    RunnerLauncher manage = manageLauncher();

    fixture.ecs.faults().resetNext("DescribeTasks", 10);
    assertRetryable(() -> manage.describe(launched), "ecs:DescribeTasks");
    fixture.ecs.faults().reset();
    fixture.ecs.faults().resetNext("StopTask", 10);
    assertRetryable(() -> manage.terminate(launched, "stop"), "ecs:StopTask");
    fixture.ecs.faults().reset();
    fixture.ecs.faults().resetNext("ListTasks", 10);
    assertRetryable(() -> manage.listOwned("team"), "ecs:ListTasks");
  }

  @Test
  void aConnectionResetWhileResolvingAtCreateIsRetryable() {
    fixture.ecs.faults().resetNext("DescribeSubnets", 10);

    assertRetryable(fixture::launcher, "ec2:DescribeSubnets");
  }

  private static void assertRetryable(Runnable call, String action) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(OneshotException.class, e -> {
      assertThat(e).isNotInstanceOf(InvalidSettingsException.class);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains(action);
    });
  }
}
