package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.FakeRunner;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The review of issue 12 as tests: a sweep judges only what carries its own owner identity (GitHub
 * scope + backend + the backend's scope) on both sides, and never a registration younger than the boot
 * timeout. Each of these deleted or stopped another owner's runners before the owner included the
 * backend scope and registrations carried owner and created labels.
 */
class SweepOwnershipTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(5).build();
  private final List<InMemoryLauncher> launchers = new ArrayList<>();

  @AfterEach
  void close() {
    github.close();
  }

  private GitHubClient client(GitHubScope scope, String scopeKey) {
    return GitHubClient.builder().apiUrl(github.apiUrl()).scope(scope)
        .credentials(GitHubCredentials.token(github.issueToken(scopeKey))).clock(clock).sleeper(clock.sleeper())
        .random(new Random(9)).build();
  }

  private InMemoryLauncher launcher(String scopeKey) {
    InMemoryLauncher launcher = new InMemoryLauncher(github).inScope(scopeKey);
    launchers.add(launcher);
    return launcher;
  }

  private RunnerFleet fleet(GitHubClient client, RunnerLauncher launcher, long seed) {
    return RunnerFleet.builder().github(client).launcher(launcher).clock(clock).sleeper(clock.sleeper())
        .random(new Random(seed)).build();
  }

  private static BatchResult startBooting(RunnerFleet fleet, int count) {
    return fleet.start(fleet.request().prefix("dev").count(count).waitForOnline(false).build());
  }

  @Test
  void aSweepOfAnotherClusterDuringABootingBatchDeletesNothingOfIt() {
    github.addOrganization("octo");
    GitHubClient client = client(new GitHubScope.Organization("octo"), "orgs/octo");
    InMemoryLauncher blue = launcher("ecs/us-east-1/blue");
    RunnerFleet booting = fleet(client, blue, 1);
    RunnerFleet otherCluster = fleet(client, launcher("ecs/us-east-1/green"), 2);
    blue.faults().neverOnline(2);
    startBooting(booting, 2);

    SweepReport now = otherCluster.sweep("dev");
    clock.advance(Duration.ofMinutes(20));
    SweepReport later = otherCluster.sweep("dev");

    assertThat(now.nothingToDo()).isTrue();
    assertThat(later.nothingToDo()).isTrue();
    assertThat(later.registrationsSeen()).isZero();
    assertThat(github.runners("orgs/octo")).hasSize(2);
    assertThat(blue.liveContainers()).hasSize(2);
  }

  @Test
  void anEcsSweepDoesNotTouchAnAciBatchsRegistrations() {
    github.addOrganization("octo");
    GitHubClient client = client(new GitHubScope.Organization("octo"), "orgs/octo");
    InMemoryLauncher aci = launcher("aci/00000000-0000-0000-0000-000000000000/runners");
    RunnerFleet aciFleet = fleet(client, aci, 1);
    RunnerFleet ecsFleet = fleet(client, launcher("ecs/us-east-1/default"), 2);
    aci.faults().neverOnline(1);
    startBooting(aciFleet, 1);
    clock.advance(Duration.ofHours(1));

    SweepReport first = ecsFleet.sweep("dev");
    SweepReport second = ecsFleet.sweep("dev");

    assertThat(first.nothingToDo()).isTrue();
    assertThat(second.nothingToDo()).isTrue();
    assertThat(github.runners("orgs/octo")).singleElement()
        .satisfies(r -> assertThat(r.labels()).contains(RunnerLabels.ownerLabel(aciFleet.owner())));
    assertThat(aci.liveContainers()).hasSize(1);
    // its own sweep does judge it: marked now, stopped next pass
    assertThat(aciFleet.sweep("dev").count(SweepActionKind.MARKED_NEVER_ONLINE)).isEqualTo(1);
  }

  @Test
  void twoOwnersSharingAPrefixDeleteOnlyTheirOwnOrphans() {
    github.addOrganization("octo");
    GitHubClient client = client(new GitHubScope.Organization("octo"), "orgs/octo");
    RunnerFleet east = fleet(client, launcher("ecs/us-east-1/runners"), 1);
    RunnerFleet west = fleet(client, launcher("ecs/us-west-2/runners"), 2);
    orphan(client, "dev-east0001", east.owner());
    orphan(client, "dev-west0001", west.owner());
    clock.advance(Duration.ofMinutes(30));

    SweepReport eastSweep = east.sweep("dev");

    assertThat(eastSweep.findings()).extracting(SweepFinding::runnerName).containsExactly("dev-east0001");
    assertThat(github.runners("orgs/octo")).extracting(FakeRunner::name).containsExactly("dev-west0001");
    assertThat(west.sweep("dev").findings()).extracting(SweepFinding::runnerName).containsExactly("dev-west0001");
    assertThat(github.runners("orgs/octo")).isEmpty();
  }

  private void orphan(GitHubClient client, String name, String owner) {
    client.generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted", "Linux", "X64", "ephemeral", "dev",
        "dev-0123456789abcdef", RunnerLabels.ownerLabel(owner), RunnerLabels.createdLabel(clock.instant())), "_work"));
  }

  @Test
  void aSweepWhileThisOwnersLaunchIsInFlightDeletesNothingYoungerThanTheBootTimeout() {
    github.addOrganization("octo");
    GitHubClient client = client(new GitHubScope.Organization("octo"), "orgs/octo");
    SweepsBeforeLaunching launcher = new SweepsBeforeLaunching(launcher("ecs/us-east-1/runners"));
    RunnerFleet fleet = fleet(client, launcher, 1);
    launcher.fleet = fleet;

    BatchResult batch = fleet.start(fleet.request().prefix("dev").count(1).build());

    // registered in GitHub, RunTask not yet answered: the cloud does not list it
    assertThat(launcher.sweep.nothingToDo()).isTrue();
    assertThat(launcher.sweep.registrationsSeen()).isEqualTo(1);
    assertThat(batch.succeeded()).isTrue();
    assertThat(github.runners("orgs/octo")).singleElement().matches(FakeRunner::online);
  }

  @Test
  void repositoriesWhoseOwnersCollidedAfterNormalisingNoLongerSweepEachOthersBusyRunners() {
    github.addRepository("octo/a.b");
    github.addRepository("octo/a-b");
    InMemoryLauncher cluster = launcher("ecs/us-east-1/shared");
    GitHubScope dotted = GitHubScope.parse("octo/a.b");
    GitHubScope dashed = GitHubScope.parse("octo/a-b");
    @SuppressWarnings("deprecation")
    String collidedBefore = FleetOwner.of(dotted);
    @SuppressWarnings("deprecation")
    String collidedBeforeToo = FleetOwner.of(dashed);
    assertThat(collidedBefore).isEqualTo(collidedBeforeToo);
    RunnerFleet dot = fleet(client(dotted, "repos/octo/a.b"), cluster, 1);
    RunnerFleet dash = fleet(client(dashed, "repos/octo/a-b"), cluster, 2);
    assertThat(dot.owner()).isNotEqualTo(dash.owner());

    BatchResult busy = dot.start(dot.request().prefix("dev").count(1).maxLifetime(Duration.ofMinutes(30)).build());
    String container = busy.runners().get(0).container().orElseThrow().resourceId();
    cluster.runner(container).orElseThrow().acceptJob();
    clock.advance(Duration.ofHours(1));

    SweepReport first = dash.sweep("dev");
    SweepReport second = dash.sweep("dev");

    assertThat(first.containersSeen()).isZero();
    assertThat(second.nothingToDo()).isTrue();
    assertThat(cluster.liveContainers()).extracting(LaunchedRunner::resourceId).containsExactly(container);
    assertThat(github.runners("repos/octo/a.b")).singleElement().matches(FakeRunner::busy);
  }

  @Test
  void ownersOfLongScopesSharingTheirFirst63CharactersDiffer() {
    GitHubScope scope = GitHubScope.parse("octo-org/" + "a".repeat(60));
    String one = FleetOwner.of(scope, new InMemoryLauncher(github).inScope("ecs/us-east-1/cluster-one"));
    String two = FleetOwner.of(scope, new InMemoryLauncher(github).inScope("ecs/us-east-1/cluster-two"));

    assertThat(one).isNotEqualTo(two).hasSize(63);
    assertThat(FleetRequest.ownerProblem(one)).isEmpty();
  }

  /** A launcher that runs a sweep of its own fleet just before each launch: the registration exists, the container does not. */
  private static final class SweepsBeforeLaunching implements RunnerLauncher {
    private final InMemoryLauncher delegate;
    RunnerFleet fleet;
    SweepReport sweep;

    SweepsBeforeLaunching(InMemoryLauncher delegate) {
      this.delegate = delegate;
    }

    @Override
    public String scopeKey() {
      return delegate.scopeKey();
    }

    @Override
    public LaunchedRunner launch(LaunchSpec spec) {
      sweep = fleet.sweep("dev");
      return delegate.launch(spec);
    }

    @Override
    public ContainerStatus describe(LaunchedRunner runner) {
      return delegate.describe(runner);
    }

    @Override
    public List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
      return delegate.describeAll(runners);
    }

    @Override
    public void terminate(LaunchedRunner runner, String reason) {
      delegate.terminate(runner, reason);
    }

    @Override
    public List<LaunchedRunner> listOwned(String owner) {
      return delegate.listOwned(owner);
    }

    @Override
    public Capabilities capabilities() {
      return delegate.capabilities();
    }
  }
}
