package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.SettingProblem;
import io.oneshot.fakes.github.FakeRunner;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stop tells the truth per runner and never depends on GitHub alone; stopRun stops a workflow run's batches. */
class RunnerFleetStopTest {
  private static final String LIST = "actions/list-self-hosted-runners-for-org";
  private static final String DELETE = "actions/delete-self-hosted-runner-from-org";

  private final FleetFixture fixture = new FleetFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void whenGitHubCannotListRunnersTheContainersAreStillTerminated() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());
    fixture.github.faults().failNext(LIST, 401, 1);

    StopReport report = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(report.runners()).hasSize(2).allSatisfy(r -> {
      assertThat(r.action()).isEqualTo(StopAction.REGISTRATION_UNKNOWN);
      assertThat(r.detail()).contains("registration state unknown").endsWith("container terminated");
      assertThat(r.resourceId()).isPresent();
    });
    assertThat(fixture.launcher.liveContainers()).isEmpty();
  }

  @Test
  void whenTheCloudCannotListContainersTheRegistrationsAreStillDeletedAndTheStopFails() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());
    fixture.launcher.failNextListOwned(1);

    assertThatThrownBy(() -> fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false))
        .isInstanceOf(OneshotException.class)
        .hasMessageContaining("could not be listed").hasMessageContaining("2 registration(s) handled")
        .satisfies(e -> assertThat(((OneshotException) e).retryable()).isTrue());

    assertThat(fixture.github.runners(FleetFixture.SCOPE)).as("registrations deleted all the same").isEmpty();
    fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);
    assertThat(fixture.launcher.liveContainers()).as("after a second stop no container is left").isEmpty();
  }

  @Test
  void whenDeletesFailContainersAreTerminatedExceptTheOneGitHubListedBusy() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(2).build());
    LaunchedRunner busy = batch.runners().get(0).container().orElseThrow();
    fixture.launcher.runner(busy.resourceId()).orElseThrow().acceptJob();
    fixture.github.faults().failNext(DELETE, 403, 2);

    StopReport report = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(report.leftBusy()).extracting(StoppedRunner::runnerName)
        .containsExactly(batch.runners().get(0).runnerName());
    assertThat(report.withAction(StopAction.REGISTRATION_UNKNOWN)).singleElement().satisfies(r -> {
      assertThat(r.runnerName()).isEqualTo(batch.runners().get(1).runnerName());
      assertThat(r.detail()).contains("delete failed");
    });
    assertThat(fixture.launcher.liveContainers()).containsExactly(busy);
  }

  @Test
  void aRunnerWithoutAContainerIsReportedDeregisteredNotTerminated() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(1).waitForOnline(false).build());
    fixture.launcher.forget(batch.runners().get(0).container().orElseThrow().resourceId());

    StopReport report = fixture.fleet.stop(FleetFixture.OWNER, batch.batchLabel(), false);

    assertThat(report.runners()).singleElement().satisfies(r -> {
      assertThat(r.action()).isEqualTo(StopAction.DEREGISTERED);
      assertThat(r.resourceId()).isEmpty();
      assertThat(r.detail()).isEqualTo("registration deleted; no live container").doesNotContain("terminated");
    });
    assertThat(fixture.registrations()).isEmpty();
    assertThat(report.summary()).isEqualTo("1 deregistered");
  }

  @Test
  void everyContainerAndRegistrationCarriesTheWorkflowRun() {
    BatchResult batch = fixture.fleet.start(fixture.request().count(1).labels(List.of("db")).workflowRun("4242")
        .build());

    assertThat(fixture.registrations()).singleElement().satisfies(r -> assertThat(r.labels())
        .hasSize(10).startsWith("self-hosted", "Linux", "X64", "ephemeral", "dev", "db", batch.batchLabel(),
            "oneshot-run-4242", "oneshot-owner-" + FleetFixture.OWNER));
    assertThat(fixture.launcher.containers()).singleElement()
        .satisfies(c -> assertThat(c.tag(OwnershipTags.RUN)).contains("4242"));
  }

  @Test
  void stopRunStopsEveryBatchOfThatRunAndNothingElse() {
    BatchResult first = fixture.fleet.start(fixture.request().count(1).workflowRun("4242").build());
    BatchResult second = fixture.fleet.start(fixture.request().count(2).workflowRun("4242").build());
    BatchResult other = fixture.fleet.start(fixture.request().count(1).workflowRun("777").build());

    StopReport report = fixture.fleet.stopRun(FleetFixture.OWNER, "4242", false);

    assertThat(report.batchLabel()).isEqualTo("oneshot-run-4242");
    assertThat(report.runners()).hasSize(3).extracting(StoppedRunner::action).containsOnly(StopAction.STOPPED);
    assertThat(report.runners()).extracting(StoppedRunner::runnerName).containsExactlyInAnyOrder(
        first.runners().get(0).runnerName(), second.runners().get(0).runnerName(),
        second.runners().get(1).runnerName());
    assertThat(fixture.registrations()).extracting(FakeRunner::name)
        .containsExactly(other.runners().get(0).runnerName());
    assertThat(fixture.launcher.liveContainers()).containsExactly(other.runners().get(0).container().orElseThrow());
    assertThat(fixture.fleet.stopRun(FleetFixture.OWNER, "4242", false).runners()).isEmpty();
  }

  @Test
  void stopRunNeedsARunId() {
    assertThatThrownBy(() -> fixture.fleet.stopRun(FleetFixture.OWNER, "abc", false))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(SettingProblem::input).containsExactly("GITHUB_RUN_ID"));
  }
}
