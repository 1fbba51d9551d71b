package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.testkit.GitHubOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A poll round over many tasks: one DescribeTasks per 100, the same answers as one describe each. */
class EcsDescribeAllTest {
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final EcsFixture fixture = new EcsFixture(org.github(), org.clock());

  @AfterEach
  void close() {
    try (fixture) {
      org.close();
    }
  }

  private LaunchSpec spec(int i) {
    String name = String.format("batch-%04d", i);
    String jit = org.client().generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted"), "_work"))
        .encodedJitConfig();
    return new LaunchSpec(name, List.of("self-hosted"), new RunnerCredential.JitConfig(jit), Map.of(),
        Duration.ofHours(1), Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team"), name + "-1", 0);
  }

  @Test
  void oneHundredFiftyTasksCostTwoDescribeTasksInInputOrderAndAForgottenTaskIsGone() {
    EcsRunnerLauncher launcher = fixture.launcher();
    fixture.ecs.faults().runnerCrashOnBootNext(1, 3);
    List<LaunchedRunner> launched = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      launched.add(launcher.launch(spec(i)));
    }
    org.clock().advance(Duration.ofMinutes(2));
    fixture.ecs.poll();
    launcher.terminate(launched.get(7), "stop");
    fixture.ecs.forget(launched.get(42).resourceId());
    List<LaunchedRunner> asked = new ArrayList<>(launched);
    java.util.Collections.reverse(asked);

    int before = fixture.ecs.callCount("DescribeTasks");
    List<ContainerStatus> all = launcher.describeAll(asked);
    int calls = fixture.ecs.callCount("DescribeTasks") - before;

    assertThat(calls).isEqualTo(2);
    List<ContainerStatus> oneByOne = asked.stream().map(launcher::describe).toList();
    assertThat(all).containsExactlyElementsOf(oneByOne);
    assertThat(all.get(149 - 42).state()).isEqualTo(ContainerState.GONE);
    assertThat(all.get(149 - 7).state()).isIn(ContainerState.STOPPED, ContainerState.RUNNING);
    assertThat(all.get(149).state()).isEqualTo(ContainerState.STOPPED);
    assertThat(all.get(149).exitCode()).contains(3);
    assertThat(all).filteredOn(s -> s.state() == ContainerState.RUNNING).hasSizeGreaterThan(140);
    assertThat(fixture.ecs.rejectedRequests()).isEmpty();
  }

  @Test
  void aStopSweepStatusLauncherMapsTheSameAndListOwnedCarriesTheStatusesItRead() {
    EcsRunnerLauncher launcher = fixture.launcher();
    List<LaunchedRunner> launched = List.of(launcher.launch(spec(1)), launcher.launch(spec(2)));
    org.clock().advance(Duration.ofMinutes(2));
    fixture.ecs.poll();
    EcsRunnerLauncher manage = fixture.manageLauncher();

    assertThat(manage.describeAll(launched)).containsExactlyElementsOf(launched.stream().map(launcher::describe)
        .toList());
    int before = fixture.ecs.callCount("DescribeTasks");
    Map<LaunchedRunner, ContainerStatus> owned = manage.listOwnedWithStatus("team");
    assertThat(fixture.ecs.callCount("DescribeTasks") - before).isEqualTo(1);
    assertThat(owned.values()).extracting(ContainerStatus::state).containsOnly(ContainerState.RUNNING);
    assertThat(owned.keySet()).extracting(LaunchedRunner::resourceId)
        .containsExactlyInAnyOrderElementsOf(launched.stream().map(LaunchedRunner::resourceId).toList());
    assertThat(manage.describeAll(List.of())).isEmpty();
  }
}
