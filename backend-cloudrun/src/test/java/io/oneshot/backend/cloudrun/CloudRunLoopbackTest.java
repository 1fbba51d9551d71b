package io.oneshot.backend.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLaunchers;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.cloudrun.CloudRunCall;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The production path: the backend found by its id through ServiceLoader, its clients built from the
 * {@code endpoint} and {@code plaintext} inputs over real gRPC (Netty) to the fake on 127.0.0.1.
 */
class CloudRunLoopbackTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(3).build();
  private final FakeCloudRun cloudRun = FakeCloudRun.builder().github(github).seed(5).build();

  @AfterEach
  void close() {
    try {
      cloudRun.close();
    } finally {
      github.close();
    }
  }

  @Test
  void theServiceLoadedBackendTalksPlaintextGrpcToTheEndpoint() {
    github.addOrganization("octo");
    cloudRun.addJob(CloudRunJobSpec.runner("gh-runner", "", CloudRunFixture.IMAGE));
    GitHubClient client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper()).build();
    String jit = client.generateJitConfig(new JitConfigRequest("loop-1", 1, List.of("self-hosted"), "_work"))
        .encodedJitConfig();
    LaunchSpec spec = new LaunchSpec("loop-1", List.of("self-hosted"), new RunnerCredential.JitConfig(jit), Map.of(),
        Duration.ofHours(1), Duration.ofMinutes(5), Map.of(OwnershipTags.OWNER, "team"), "loop-1-1", 0);

    try (RunnerLauncher launcher = RunnerLaunchers.provider("cloudrun").create(new BackendSettings(Map.of(
        "project", "oneshot-test", "region", "us-central1", "job", "gh-runner",
        "endpoint", cloudRun.endpoint(), "plaintext", "true"), clock))) {
      LaunchedRunner launched = launcher.launch(spec);
      clock.advance(Duration.ofSeconds(15));

      assertThat(launcher.describe(launched).state()).isEqualTo(ContainerState.RUNNING);
      assertThat(github.runners("orgs/octo")).singleElement().satisfies(r -> assertThat(r.online()).isTrue());
      assertThat(launcher.listOwned("team")).extracting(LaunchedRunner::resourceId).containsExactly(launched.resourceId());
    }
    assertThat(cloudRun.calls()).filteredOn(c -> c.method().equals("RunJob")).extracting(CloudRunCall::routingHeader)
        .containsExactly("location=us-central1");
    assertThat(cloudRun.calls()).filteredOn(c -> c.method().equals("GetExecution")).extracting(CloudRunCall::routingHeader)
        .singleElement().asString().startsWith("name=projects%2Foneshot-test%2Flocations%2Fus-central1%2Fjobs%2Fgh-runner");
    assertThat(cloudRun.callCount("GetOperation")).isZero();
  }

  @Test
  void withoutAnEndpointTheBackendNeedsApplicationDefaultCredentials() {
    // surefire points GOOGLE_APPLICATION_CREDENTIALS at a file that does not exist
    assertThatThrownBy(() -> RunnerLaunchers.provider("cloudrun").create(new BackendSettings(Map.of(
        "project", "oneshot-test", "region", "us-central1", "job", "gh-runner"), clock)))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("no Google credentials were found")
        .hasMessageContaining("google-github-actions/auth");
  }
}
