package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubApiException;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.fakes.github.FakeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fleet lifecycle end to end: real GitHub client over HTTP, fake GitHub, simulated runners. */
class RunnerFleetTest {
  private final FleetFixture fixture = new FleetFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void fiveRunnersComeOnlineWithTheirLabels() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(5).labels(List.of("db")).build());

    assertThat(batch.succeeded()).isTrue();
    assertThat(batch.batchLabel()).matches("dev-[a-z0-9]{16}");
    assertThat(batch.runners()).hasSize(5).allSatisfy(r -> {
      assertThat(r.kind()).isEqualTo(OutcomeKind.ONLINE);
      assertThat(r.runnerName()).matches("dev-[a-z0-9]{8}");
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.timeToOnline()).get().matches(d -> d.compareTo(Duration.ofSeconds(15)) < 0);
    });
    assertThat(fixture.registrations()).hasSize(5).allSatisfy(r -> {
      assertThat(r.online()).isTrue();
      // the seed's labels in the seed's order, then the owner and when it was registered
      assertThat(r.labels()).hasSize(9).startsWith("self-hosted", "Linux", "X64", "ephemeral", "dev", "db",
          batch.batchLabel(), "oneshot-owner-" + FleetFixture.OWNER);
      assertThat(RunnerLabels.created(fixture.client.getRunner(r.id()).orElseThrow())).isPresent();
    });
    assertThat(fixture.launcher.containers()).allSatisfy(c -> {
      assertThat(c.tag(OwnershipTags.OWNER)).contains(FleetFixture.OWNER);
      assertThat(c.tag(OwnershipTags.LABEL)).contains(batch.batchLabel());
      assertThat(c.tag(OwnershipTags.EXPIRES))
          .contains(Long.toString(Instant.parse("2026-01-01T06:00:00Z").getEpochSecond()));
    });
    assertThat(fixture.launcher.launchRequests().stream().map(s -> s.credential().secret()).distinct()).hasSize(5);
  }

  @Test
  void eachRunnerReportsItsPhasesInOrder() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());

    for (RunnerOutcome runner : batch.runners()) {
      List<FleetPhase> phases = fixture.events.stream().filter(e -> e.runnerName().equals(runner.runnerName()))
          .map(FleetEvent::phase).toList();
      assertThat(phases).containsExactly(FleetPhase.REGISTERED, FleetPhase.LAUNCHED, FleetPhase.RUNNING,
          FleetPhase.ONLINE);
    }
    assertThat(fixture.events).isSortedAccordingTo(Comparator.comparing(FleetEvent::elapsed));
  }

  @Test
  void aRunnerThatNeverComesOnlineTimesOutAloneAndIsCleanedUp() {
    fixture.launcher.faults().neverOnline(1);

    BatchResult batch = fixture.fleet.start(fixture.request().count(3).onlineTimeout(Duration.ofMinutes(2)).build());

    assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(2);
    RunnerOutcome late = batch.withKind(OutcomeKind.TIMED_OUT).get(0);
    assertThat(late.reason()).contains("not online within 120 s");
    assertThat(fixture.registrations()).extracting(FakeRunner::name).doesNotContain(late.runnerName())
        .hasSize(2);
    assertThat(fixture.launcher.describe(late.container().orElseThrow()).state().isFinal()).isTrue();
    assertThat(fixture.launcher.liveContainers()).hasSize(2);
    assertThat(fixture.registrations()).allMatch(FakeRunner::online);
    assertThat(fixture.clock.instant()).isBefore(Instant.parse("2026-01-01T00:02:10Z"));
  }

  @Test
  void aCapacityFailureIsReplacedWithAFreshJitOnTheNextCapacityOption() {
    fixture.launcher.faults().noCapacityOn(0);

    BatchResult batch = fixture.fleet.start(fixture.request().count(1).build());

    RunnerOutcome runner = batch.runners().get(0);
    assertThat(runner.kind()).isEqualTo(OutcomeKind.ONLINE);
    assertThat(runner.attempts()).isEqualTo(2);
    List<LaunchSpec> launches = fixture.launcher.launchRequests();
    assertThat(launches).extracting(LaunchSpec::capacityOption).containsExactly(0, 1);
    assertThat(launches.get(0).credential().secret()).isNotEqualTo(launches.get(1).credential().secret());
    assertThat(launches.get(0).runnerName()).isNotEqualTo(launches.get(1).runnerName());
    assertThat(fixture.registrations()).extracting(FakeRunner::name).containsExactly(runner.runnerName());
    assertThat(fixture.events).anyMatch(e -> e.phase() == FleetPhase.RETRYING && e.detail().startsWith("CAPACITY"));
  }

  @Test
  void capacityRetriesStopAtTheConfiguredAttempts() {
    fixture.launcher.faults().refuseCapacity(5);

    BatchResult batch = fixture.fleet.start(fixture.request().count(1).maxAttemptsPerRunner(2).build());

    RunnerOutcome runner = batch.runners().get(0);
    assertThat(runner.kind()).isEqualTo(OutcomeKind.FAILED);
    assertThat(runner.failure()).contains(FailureKind.CAPACITY);
    assertThat(runner.attempts()).isEqualTo(2);
    assertThat(fixture.registrations()).isEmpty();
  }

  @Test
  void anImagePullFailureIsNotRetriedAndSaysWhy() {
    fixture.launcher.faults().imagePullFailure(1);

    BatchResult batch = fixture.fleet.start(fixture.request().count(1).build());

    RunnerOutcome runner = batch.runners().get(0);
    assertThat(runner.kind()).isEqualTo(OutcomeKind.FAILED);
    assertThat(runner.failure()).contains(FailureKind.IMAGE_PULL);
    assertThat(runner.reason()).contains("CannotPullContainerError");
    assertThat(runner.attempts()).isEqualTo(1);
    assertThat(fixture.launcher.launchRequests()).hasSize(1);
    assertThat(fixture.registrations()).isEmpty();
  }

  @Test
  void aRunnerThatCrashesBeforeOnlineReportsItsExitCode() {
    fixture.launcher.faults().crashBeforeOnline(1);

    RunnerOutcome runner = fixture.fleet.start(fixture.request().count(1).build()).runners().get(0);

    assertThat(runner.kind()).isEqualTo(OutcomeKind.FAILED);
    assertThat(runner.failure()).contains(FailureKind.EXITED);
    assertThat(runner.reason()).contains("exit code 1: the runner failed");
    assertThat(fixture.registrations()).isEmpty();
  }

  @Test
  void anImageThatRejectsItsSetupIsAConfigurationFailureAndNotRetried() {
    fixture.launcher.faults().crashBeforeOnline(1, 64);

    RunnerOutcome runner = fixture.fleet.start(fixture.request().count(1).build()).runners().get(0);

    assertThat(runner.failure()).contains(FailureKind.CONFIGURATION);
    assertThat(runner.reason()).contains("exit code 64: invalid container environment or image");
    assertThat(runner.attempts()).isEqualTo(1);
  }

  @Test
  void stopLeavesABusyRunnerAloneAndSaysSo() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(3).build());
    LaunchedRunner busyContainer = batch.runners().get(0).container().orElseThrow();
    fixture.launcher.runner(busyContainer.resourceId()).orElseThrow().acceptJob();

    StopReport report = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(report.leftBusy()).extracting(StoppedRunner::runnerName).containsExactly(batch.runners().get(0).runnerName());
    assertThat(report.runners()).filteredOn(r -> r.action() == StopAction.STOPPED).hasSize(2);
    assertThat(fixture.registrations()).extracting(FakeRunner::name).containsExactly(batch.runners().get(0).runnerName());
    assertThat(fixture.launcher.liveContainers()).extracting(LaunchedRunner::resourceId)
        .containsExactly(busyContainer.resourceId());

    StopReport forced = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), true);
    assertThat(forced.runners()).extracting(StoppedRunner::action).containsExactly(StopAction.FORCED);
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void stoppingTwiceFindsNothingTheSecondTime() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());
    StopReport first = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    StopReport again = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(first.runners()).extracting(StoppedRunner::action).containsExactly(StopAction.STOPPED, StopAction.STOPPED);
    assertThat(again.runners()).isEmpty();
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void stopTerminatesALiveContainerWhoseRegistrationIsAlreadyGone() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(1).waitForOnline(false).build());
    RunnerOutcome runner = batch.runners().get(0);
    fixture.client.deleteRunner(runner.githubRunnerId().getAsLong());

    StopReport report = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(report.runners()).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(StopAction.STOPPED);
      assertThat(r.githubRunnerId()).isEmpty();
      assertThat(r.resourceId()).contains(runner.container().orElseThrow().resourceId());
    });
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void aBatchOfTwentyCostsAtMostThreeGitHubCallsPerRunner() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(20).build());
    fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(20);
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
    int calls = fixture.github.callCount();
    assertThat((double) calls / 20).as("GitHub calls per runner (%d in all)", calls).isLessThanOrEqualTo(3.0);
  }

  @Test
  void tokenModeRegistersThroughTheImageWithOneToken() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).registration(RegistrationMode.TOKEN).build());

    assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(2);
    assertThat(fixture.github.callCount("actions/create-registration-token-for-org")).isEqualTo(1);
    assertThat(fixture.github.callCount("actions/generate-runner-jitconfig-for-org")).isZero();
    assertThat(fixture.registrations()).extracting(FakeRunner::name)
        .containsExactlyInAnyOrderElementsOf(batch.runners().stream().map(RunnerOutcome::runnerName).toList());
  }

  @Test
  void anUnknownRunnerGroupFailsBeforeAnythingIsCreated() {
    assertThatThrownBy(() -> fixture.fleet.start(fixture.request().runnerGroup("nope").build()))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("runner-group 'nope' does not exist");
    assertThat(fixture.launcher.launchRequests()).isEmpty();
    assertThat(fixture.github.callCount("actions/generate-runner-jitconfig-for-org")).isZero();
  }

  @Test
  void anUnexpectedGitHubFailureWhileWaitingCleansUpTheWholeBatch() {
    fixture.github.faults().failNext("actions/list-self-hosted-runners-for-org", 401, 1);

    assertThatThrownBy(() -> fixture.fleet.start(fixture.request().count(3).build()))
        .isInstanceOf(GitHubApiException.class);

    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void aTakenNameGetsAFreshOne() {
    fixture.github.faults().failNext("actions/generate-runner-jitconfig-for-org", 409, 1);

    BatchResult batch = fixture.fleet.start(fixture.request().count(1).build());

    assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(1);
    assertThat(fixture.github.callCount("actions/generate-runner-jitconfig-for-org")).isEqualTo(2);
  }

  @Test
  void aRegistrationGitHubRefusesFailsTheRunnerWithoutLaunchingIt() {
    fixture.github.faults().failNext("actions/generate-runner-jitconfig-for-org", 403, 1);

    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());

    RunnerOutcome failed = batch.withKind(OutcomeKind.FAILED).get(0);
    assertThat(failed.failure()).contains(FailureKind.PERMISSION);
    assertThat(failed.reason()).startsWith("registering with GitHub failed").contains("Self-hosted runners");
    assertThat(failed.container()).isEmpty();
    assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(1);
    assertThat(fixture.launcher.launchRequests()).hasSize(1);
  }

  @Test
  void nothingTheFleetReportsOrLogsHoldsASecret() throws IOException {
    Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    fixture.launcher.faults().noCapacityOn(0).imagePullFailure(1);

    BatchResult batch = fixture.fleet.start(fixture.request().count(3).build());
    StopReport stop = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    String logged = Files.readString(log).substring((int) logStart);
    String reported = batch + " " + stop + " " + fixture.events + " " + fixture.launcher.launchRequests();
    assertThat(logged).contains("REGISTERED");
    assertThat(fixture.github.issuedSecrets()).isNotEmpty().allSatisfy(secret -> {
      assertThat(logged).doesNotContain(secret);
      assertThat(reported).doesNotContain(secret);
    });
  }

  @Test
  void aGitHubOutageWhileWaitingIsRiddenOut() {
    // Six 503s exhaust one list call's retries; the next round lists again.
    fixture.github.faults().failNext("actions/list-self-hosted-runners-for-org", 503, 6);

    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());

    assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(2);
    assertThat(fixture.github.callCount("actions/list-self-hosted-runners-for-org")).isGreaterThan(6);
  }

  @Test
  void notWaitingReturnsLaunchedRunners() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).waitForOnline(false).build());

    assertThat(batch.runners()).extracting(RunnerOutcome::kind).containsOnly(OutcomeKind.LAUNCHED);
    assertThat(batch.succeeded()).isTrue();
    Set<ContainerState> states = fixture.launcher.containers().stream()
        .map(c -> fixture.launcher.describe(c).state()).collect(Collectors.toSet());
    assertThat(states).containsOnly(ContainerState.PENDING);
  }
}
