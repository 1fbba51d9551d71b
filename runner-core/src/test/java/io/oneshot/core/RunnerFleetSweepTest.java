package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.fakes.github.FakeRunner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep against a seeded mess: it leaves exactly the busy runner and the foreign container. */
class RunnerFleetSweepTest {
  private final FleetFixture fixture = new FleetFixture();
  private final RunnerFleet foreignFleet = new RunnerFleet(fixture.client, fixture.launcher, fixture.options());

  @AfterEach
  void close() {
    fixture.close();
  }

  private BatchResult startOne(RunnerFleet fleet, String owner, Duration maxLifetime, boolean wait) {
    return fleet.start(FleetRequest.builder(owner).prefix("dev").count(1).maxLifetime(maxLifetime)
        .waitForOnline(wait).build());
  }

  /** A registration of this owner whose container never came: it carries the owner and created labels. */
  private void orphanRegistration(String name) {
    fixture.client.generateJitConfig(new JitConfigRequest(name, 1,
        List.of("self-hosted", "Linux", "X64", "ephemeral", "dev", "dev-0123456789abcdef",
            RunnerLabels.ownerLabel(FleetFixture.OWNER), RunnerLabels.createdLabel(fixture.clock.instant())), "_work"));
  }

  @Test
  void aSeededMessIsReconciledInTwoPasses() {
    BatchResult expired = startOne(fixture.fleet, FleetFixture.OWNER, Duration.ofHours(1), true);
    BatchResult busy = startOne(fixture.fleet, FleetFixture.OWNER, Duration.ofHours(1), true);
    LaunchedRunner busyContainer = busy.runners().get(0).container().orElseThrow();
    fixture.launcher.runner(busyContainer.resourceId()).orElseThrow().acceptJob();
    BatchResult foreign = startOne(foreignFleet, "another-team", Duration.ofHours(1), true);
    fixture.launcher.faults().neverOnline(1);
    BatchResult neverOnline = startOne(fixture.fleet, FleetFixture.OWNER, Duration.ofHours(24), false);
    orphanRegistration("dev-orphan01");
    orphanRegistration("dev-orphan02");
    fixture.client.generateJitConfig(new JitConfigRequest("prod-notours1", 1, List.of("self-hosted", "prod"), "_work"));
    fixture.clock.advance(Duration.ofHours(2));

    SweepReport first = fixture.fleet.sweep(FleetFixture.OWNER, "dev");

    assertThat(first.containersSeen()).isEqualTo(3);
    assertThat(first.count(SweepActionKind.STOPPED_EXPIRED)).isEqualTo(1);
    assertThat(first.count(SweepActionKind.LEFT_BUSY)).isEqualTo(1);
    assertThat(first.count(SweepActionKind.MARKED_NEVER_ONLINE)).isEqualTo(1);
    assertThat(first.count(SweepActionKind.DELETED_ORPHAN_REGISTRATION)).isEqualTo(2);
    assertThat(first.findings()).filteredOn(f -> f.kind() == SweepActionKind.STOPPED_EXPIRED)
        .extracting(SweepFinding::runnerName).containsExactly(expired.runners().get(0).runnerName());

    SweepReport second = fixture.fleet.sweep(FleetFixture.OWNER, "dev");

    assertThat(second.actions()).extracting(SweepFinding::kind).containsExactly(SweepActionKind.STOPPED_NEVER_ONLINE);
    assertThat(second.actions().get(0).runnerName()).isEqualTo(neverOnline.runners().get(0).runnerName());

    assertThat(fixture.fleet.sweep(FleetFixture.OWNER, "dev").nothingToDo()).isTrue();
    assertThat(fixture.registrations()).extracting(FakeRunner::name).containsExactlyInAnyOrder(
        busy.runners().get(0).runnerName(), foreign.runners().get(0).runnerName(), "prod-notours1");
    assertThat(fixture.launcher.liveContainers()).extracting(LaunchedRunner::resourceId).containsExactlyInAnyOrder(
        busyContainer.resourceId(), foreign.runners().get(0).container().orElseThrow().resourceId());
  }

  @Test
  void aSecondPassRightAfterFindsNothingToDo() {
    startOne(fixture.fleet, FleetFixture.OWNER, Duration.ofMinutes(30), true);
    orphanRegistration("dev-orphan03");
    fixture.clock.advance(Duration.ofHours(1));

    SweepReport first = fixture.fleet.sweep(FleetFixture.OWNER, "dev");
    SweepReport second = fixture.fleet.sweep(FleetFixture.OWNER, "dev");

    assertThat(first.actions()).hasSize(2);
    assertThat(second.nothingToDo()).isTrue();
    assertThat(fixture.registrations()).isEmpty();
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void aMarkedContainerWhoseRunnerCameOnlineIsSpared() {
    fixture.fleet.start(FleetRequest.builder(FleetFixture.OWNER).prefix("dev").count(1).waitForOnline(false).build());
    // Nobody has looked at the container for 16 minutes: GitHub still lists its runner offline.
    fixture.clock.advance(Duration.ofMinutes(16));

    SweepReport first = fixture.fleet.sweep(FleetFixture.OWNER, "dev");
    SweepReport second = fixture.fleet.sweep(FleetFixture.OWNER, "dev");

    assertThat(first.actions()).extracting(SweepFinding::kind).containsExactly(SweepActionKind.MARKED_NEVER_ONLINE);
    assertThat(second.nothingToDo()).isTrue();
    assertThat(fixture.launcher.liveContainers()).hasSize(1);
    assertThat(fixture.registrations()).singleElement().matches(FakeRunner::online);
  }
}
