package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.TasksClient;
import com.google.cloud.run.v2.TasksSettings;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.SettingProblem;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The typed builders embedding code uses (the caller's own clients, a plaintext loopback endpoint), and
 * describeAll's cost, against the fake Cloud Run with the real clients.
 */
class CloudRunRunnerLauncherBuilderTest {
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final CloudRunFixture fixture = new CloudRunFixture(org.github(), org.clock());
  private final List<AutoCloseable> clients = new ArrayList<>();
  private int names;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    try (fixture) {
      org.close();
    }
  }

  private CloudRunSettings settings() {
    return CloudRunSettings.builder().project("oneshot-test").region("us-central1").job("gh-runner").build();
  }

  private LaunchSpec spec() {
    String name = String.format("run-%04d", ++names);
    String jit = org.client().generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted"), "_work"))
        .encodedJitConfig();
    return new LaunchSpec(name, List.of("self-hosted"), new RunnerCredential.JitConfig(jit), Map.of(),
        Duration.ofHours(1), Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team"), name + "-1", 0);
  }

  private <T extends AutoCloseable> T owned(T client) {
    clients.add(client);
    return client;
  }

  @Test
  void aLauncherOnTheCallersClientsLaunchesAndLeavesThemOpenOnClose() throws IOException {
    FixedTransportChannelProvider channel = FixedTransportChannelProvider.create(
        GrpcTransportChannel.create(fixture.channel()));
    JobsClient jobs = owned(JobsClient.create(JobsSettings.newBuilder().setTransportChannelProvider(channel)
        .setCredentialsProvider(NoCredentialsProvider.create()).build()));
    ExecutionsClient executions = owned(ExecutionsClient.create(ExecutionsSettings.newBuilder()
        .setTransportChannelProvider(channel).setCredentialsProvider(NoCredentialsProvider.create()).build()));
    TasksClient tasks = owned(TasksClient.create(TasksSettings.newBuilder().setTransportChannelProvider(channel)
        .setCredentialsProvider(NoCredentialsProvider.create()).build()));

    CloudRunRunnerLauncher launcher = CloudRunRunnerLauncher.builder().settings(settings()).jobsClient(jobs)
        .executionsClient(executions).tasksClient(tasks).clock(org.clock()).purpose(LauncherPurpose.START).build();
    LaunchedRunner launched = launcher.launch(spec());
    launcher.close();
    launcher.close();

    assertThat(jobs.isShutdown()).isFalse();
    assertThat(executions.isShutdown()).isFalse();
    assertThat(tasks.isShutdown()).isFalse();
    assertThat(executions.getExecution(launched.resourceId()).getName()).isEqualTo(launched.resourceId());
  }

  @Test
  void aPlaintextLoopbackEndpointNeedsNoCredentialsAndTheLauncherClosesTheClientsItBuilt() {
    try (FakeCloudRun loopback = FakeCloudRun.builder().github(org.github()).clock(org.clock()).seed(9).build()) {
      loopback.addJob(CloudRunJobSpec.runner("gh-runner", "runner", CloudRunFixture.IMAGE));
      CloudRunRunnerLauncher launcher = CloudRunRunnerLauncher.builder().settings(CloudRunSettings.builder()
          .project("oneshot-test").region("us-central1").job("gh-runner").endpoint(loopback.endpoint()).plaintext(true)
          .build()).clock(org.clock()).build();
      LaunchedRunner launched = launcher.launch(spec());
      assertThat(launcher.describe(launched).state()).isIn(ContainerState.PENDING, ContainerState.RUNNING);

      launcher.close();

      assertThatThrownBy(() -> launcher.describe(launched)).isInstanceOf(RuntimeException.class);
    }
  }

  @Test
  void theSettingsBuilderNamesTheSameProblemsAsTheInputs() {
    assertThatThrownBy(() -> CloudRunSettings.builder().region("moon").job("projects/x/jobs/y").plaintext(true).build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("project", "region", "job", "plaintext"));
    assertThat(CloudRunSettings.builder().project("oneshot-test").region("us-central1").job("gh-runner")
        .container("runner").buildForManage().container()).isEmpty();
    assertThatThrownBy(() -> CloudRunRunnerLauncher.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void oneHundredFiftyExecutionsCostOneListExecutionsPerHundredInInputOrderAndAForgottenOneIsGone() {
    CloudRunRunnerLauncher launcher = fixture.launcher();
    fixture.cloudRun.faults().imageMissingNext(1);
    List<LaunchedRunner> launched = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      launched.add(launcher.launch(spec()));
    }
    org.clock().advance(Duration.ofMinutes(2));
    fixture.cloudRun.poll();
    fixture.cloudRun.forget(launched.get(42).resourceId());
    List<LaunchedRunner> asked = new ArrayList<>(launched);
    Collections.shuffle(asked, new java.util.Random(3));
    int listsBefore = fixture.cloudRun.callCount("ListExecutions");
    int getsBefore = fixture.cloudRun.callCount("GetExecution");

    List<ContainerStatus> all = launcher.describeAll(asked);

    assertThat(fixture.cloudRun.callCount("ListExecutions") - listsBefore).isEqualTo(2);
    assertThat(fixture.cloudRun.callCount("GetExecution") - getsBefore).isZero();
    assertThat(all).containsExactlyElementsOf(asked.stream().map(launcher::describe).toList());
    assertThat(all.get(asked.indexOf(launched.get(42))).state()).isEqualTo(ContainerState.GONE);
    assertThat(all.get(asked.indexOf(launched.get(0))).state()).isEqualTo(ContainerState.STOPPED);
    assertThat(all).filteredOn(s -> s.state() == ContainerState.RUNNING).hasSizeGreaterThan(140);
    // only the one-by-one GetExecution of the forgotten execution was refused
    assertThat(fixture.cloudRun.rejectedRequests()).singleElement().asString().startsWith("GetExecution: NOT_FOUND");

    CloudRunRunnerLauncher manage = fixture.create(new io.oneshot.spi.BackendSettings(fixture.settings(),
        org.clock(), LauncherPurpose.MANAGE));
    Map<LaunchedRunner, ContainerStatus> owned = manage.listOwnedWithStatus("team");
    assertThat(owned).hasSize(149);
    owned.forEach((runner, status) -> assertThat(status).isEqualTo(all.get(asked.stream().map(
        LaunchedRunner::resourceId).toList().indexOf(runner.resourceId()))));
  }
}
