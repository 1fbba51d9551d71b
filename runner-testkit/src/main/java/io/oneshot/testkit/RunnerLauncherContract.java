package io.oneshot.testkit;

import io.oneshot.fakes.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.github.JitRunner;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RunnerLauncher} must show, as an abstract JUnit 5 class: a backend's test
 * extends it, builds its launcher against its fake cloud (sharing {@link #clock} and {@link #github},
 * so simulated runners start from the container environment), and provides the fault hooks. Runs
 * against the real SDK of the backend; never sleeps for real.
 */
public abstract class RunnerLauncherContract {
  /** The owner the contract launches for. */
  protected static final String OWNER = "contract-owner";
  private static final String SCOPE_KEY = "orgs/contract-org";

  /** The shared clock: fakes and launcher move with it. */
  protected TestClock clock;
  /** The fake GitHub the simulated runners connect to. */
  protected FakeGitHub github;
  private GitHubClient client;
  private RunnerLauncher launcher;
  private int names;

  /** Builds the launcher under test (and its fake cloud) on {@link #clock} and {@link #github}. */
  protected abstract RunnerLauncher createLauncher();

  /** Makes the next launched container fail to pull its image. */
  protected abstract void failNextImagePull();

  /** Makes the next launch fail for lack of capacity (refused at launch, or stopped while pending). */
  protected abstract void failNextForCapacity();

  /** Makes the cloud forget a container, as if it had been cleaned up long ago. */
  protected abstract void forget(LaunchedRunner container);

  /** The simulated runner running in a container, once the container runs. */
  protected abstract Optional<SimulatedRunner> simulatedRunner(LaunchedRunner container);

  /** Stops the backend's fake; called after each test. */
  protected void closeBackend() {}

  @BeforeEach
  final void startContract() {
    clock = TestClock.atEpochOfTests();
    github = FakeGitHub.builder().clock(clock).seed(11).build();
    github.addOrganization("contract-org");
    client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("contract-org"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper()).build();
    launcher = createLauncher();
  }

  @AfterEach
  final void stopContract() {
    try {
      launcher.close();
      closeBackend();
    } finally {
      github.close();
    }
  }

  /** A launch spec with a fresh JIT config from the fake GitHub. */
  protected LaunchSpec spec(String owner) {
    String name = "contract-" + String.format("%08d", ++names);
    JitRunner jit = client.generateJitConfig(new JitConfigRequest(name, 1,
        List.of("self-hosted", "Linux", "X64", "ephemeral", "contract"), "_work"));
    Map<String, String> tags = Map.of(OwnershipTags.OWNER, owner, OwnershipTags.LABEL, "contract-batch",
        OwnershipTags.RUNNER, name, OwnershipTags.GITHUB_ID, Long.toString(jit.runner().id()),
        OwnershipTags.EXPIRES, Long.toString(clock.instant().plus(Duration.ofHours(1)).getEpochSecond()));
    return new LaunchSpec(name, List.of("self-hosted", "contract"), new RunnerCredential.JitConfig(jit.encodedJitConfig()),
        Map.of(), Duration.ofHours(1), Duration.ofMinutes(10), tags, name + "-1", 0);
  }

  /** Moves the clock in 5 s steps (up to 10 minutes) until the container's status matches. */
  protected ContainerStatus awaitStatus(LaunchedRunner container, Predicate<ContainerStatus> condition) {
    ContainerStatus status = launcher.describe(container);
    for (int step = 0; step < 120 && !condition.test(status); step++) {
      clock.advance(Duration.ofSeconds(5));
      status = launcher.describe(container);
    }
    assertThat(condition.test(status)).as("status reached in 10 minutes; last: %s", status).isTrue();
    return status;
  }

  private boolean runnerOnline(LaunchSpec spec) {
    return github.runners(SCOPE_KEY).stream().anyMatch(r -> r.name().equals(spec.runnerName()) && r.online());
  }

  @Test
  void launchReturnsAtOnceAndDescribeFollowsTheWholeLifecycle() {
    LaunchSpec spec = spec(OWNER);

    LaunchedRunner container = launcher.launch(spec);

    assertThat(container.resourceId()).isNotBlank();
    assertThat(container.backendId()).isNotBlank();
    assertThat(container.tags()).containsAllEntriesOf(spec.tags());
    assertThat(launcher.describe(container).state()).isIn(ContainerState.PENDING, ContainerState.RUNNING);
    awaitStatus(container, s -> s.state() == ContainerState.RUNNING && runnerOnline(spec));

    SimulatedRunner runner = simulatedRunner(container).orElseThrow();
    runner.acceptJob();
    assertThat(launcher.describe(container).state()).isEqualTo(ContainerState.RUNNING);
    runner.finishJob();

    ContainerStatus done = awaitStatus(container, s -> s.state().isFinal());
    assertThat(done.exitCode()).contains(0);
    assertThat(done.failure()).isEmpty();
  }

  @Test
  void launchIsIdempotentPerKey() {
    LaunchSpec spec = spec(OWNER);

    LaunchedRunner first = launcher.launch(spec);
    LaunchedRunner second = launcher.launch(spec);

    assertThat(second.resourceId()).isEqualTo(first.resourceId());
    assertThat(launcher.listOwned(OWNER)).extracting(LaunchedRunner::resourceId).containsExactly(first.resourceId());
  }

  @Test
  void terminateIsSafeToRepeat() {
    LaunchedRunner container = launcher.launch(spec(OWNER));
    awaitStatus(container, s -> s.state() == ContainerState.RUNNING);

    launcher.terminate(container, "contract: first");
    assertThatCode(() -> launcher.terminate(container, "contract: second")).doesNotThrowAnyException();

    assertThat(awaitStatus(container, s -> s.state().isFinal()).state().isFinal()).isTrue();
  }

  @Test
  void terminatingAPendingContainerStopsIt() {
    LaunchedRunner container = launcher.launch(spec(OWNER));

    launcher.terminate(container, "contract: before it ran");

    assertThat(awaitStatus(container, s -> s.state().isFinal()).state().isFinal()).isTrue();
  }

  @Test
  void aGoneContainerIsGoneAndTerminatingItIsSafe() {
    LaunchedRunner container = launcher.launch(spec(OWNER));
    launcher.terminate(container, "contract");
    forget(container);

    assertThat(launcher.describe(container).state()).isEqualTo(ContainerState.GONE);
    assertThatCode(() -> launcher.terminate(container, "contract: again")).doesNotThrowAnyException();
  }

  @Test
  void listOwnedSeesOnlyThatOwnersContainers() {
    LaunchedRunner mine1 = launcher.launch(spec(OWNER));
    LaunchedRunner mine2 = launcher.launch(spec(OWNER));
    launcher.launch(spec("someone-else"));

    List<LaunchedRunner> owned = launcher.listOwned(OWNER);

    assertThat(owned).extracting(LaunchedRunner::resourceId)
        .containsExactlyInAnyOrder(mine1.resourceId(), mine2.resourceId());
    assertThat(owned).allSatisfy(c -> assertThat(c.tag(OwnershipTags.OWNER)).contains(OWNER));
  }

  @Test
  void listOwnedWithStatusListsWhatListOwnedListsWithTheStatesDescribeAllGives() {
    LaunchedRunner running = launcher.launch(spec(OWNER));
    LaunchSpec crashing = spec(OWNER);
    LaunchedRunner stopped = launcher.launch(crashing);
    LaunchedRunner pending = launcher.launch(spec(OWNER));
    launcher.launch(spec("someone-else"));
    awaitStatus(stopped, s -> s.state() == ContainerState.RUNNING && runnerOnline(crashing));
    // Exited on its own, not terminated: a cloud that keeps finished containers (ACI) still lists it.
    simulatedRunner(stopped).orElseThrow().crash(3);
    awaitStatus(stopped, s -> s.state().isFinal());
    awaitStatus(running, s -> s.state() == ContainerState.RUNNING);

    Map<LaunchedRunner, ContainerStatus> withStatus = launcher.listOwnedWithStatus(OWNER);
    List<LaunchedRunner> listed = launcher.listOwned(OWNER);
    List<ContainerStatus> described = launcher.describeAll(listed);

    assertThat(withStatus.keySet()).extracting(LaunchedRunner::resourceId)
        .containsExactlyElementsOf(listed.stream().map(LaunchedRunner::resourceId).toList())
        .containsExactlyInAnyOrder(running.resourceId(), stopped.resourceId(), pending.resourceId());
    assertThat(withStatus.keySet()).allSatisfy(c -> assertThat(c.tag(OwnershipTags.OWNER)).contains(OWNER));
    assertThat(withStatus.values()).extracting(ContainerStatus::state)
        .containsExactlyElementsOf(described.stream().map(ContainerStatus::state).toList());
    assertThat(stateOf(withStatus, stopped)).isEqualTo(ContainerState.STOPPED);
    assertThat(stateOf(withStatus, running)).isEqualTo(ContainerState.RUNNING);
    assertThat(launcher.listOwnedWithStatus("nobody-launched-for-this-owner")).isEmpty();
  }

  private static ContainerState stateOf(Map<LaunchedRunner, ContainerStatus> statuses, LaunchedRunner container) {
    return statuses.entrySet().stream().filter(e -> e.getKey().resourceId().equals(container.resourceId()))
        .map(e -> e.getValue().state()).findFirst().orElseThrow();
  }

  @Test
  void anImagePullFailureIsReportedAsSuch() {
    failNextImagePull();
    LaunchedRunner container = launcher.launch(spec(OWNER));

    ContainerStatus status = awaitStatus(container, s -> s.state().isFinal());

    assertThat(status.failure()).contains(FailureKind.IMAGE_PULL);
    assertThat(status.reason()).isNotBlank();
    assertThat(FailureKind.IMAGE_PULL.retryable()).isFalse();
  }

  @Test
  void aCapacityFailureIsRetryable() {
    failNextForCapacity();
    LaunchSpec spec = spec(OWNER);

    FailureKind kind;
    try {
      LaunchedRunner container = launcher.launch(spec);
      kind = awaitStatus(container, s -> s.state().isFinal()).failure().orElseThrow();
    } catch (LaunchFailedException e) {
      assertThat(e.retryable()).isTrue();
      kind = e.kind();
    }

    assertThat(kind).isEqualTo(FailureKind.CAPACITY);
  }

  @Test
  void aRunnerThatCrashesEndsItsContainerWithItsExitCode() {
    LaunchSpec spec = spec(OWNER);
    LaunchedRunner container = launcher.launch(spec);
    awaitStatus(container, s -> s.state() == ContainerState.RUNNING && runnerOnline(spec));

    simulatedRunner(container).orElseThrow().crash(3);

    ContainerStatus status = awaitStatus(container, s -> s.state().isFinal());
    assertThat(status.exitCode()).contains(3);
    assertThat(status.failure()).contains(FailureKind.EXITED);
  }

  @Test
  void capabilitiesAreSane() {
    Capabilities capabilities = launcher.capabilities();

    assertThat(capabilities.capacityOptions()).isPositive();
    assertThat(capabilities.maxEnvironmentChars()).isNotNegative();
  }
}
