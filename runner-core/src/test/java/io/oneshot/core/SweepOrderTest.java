package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.fakes.github.FakeRunner;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch starting while a sweep runs is not mistaken for orphans: GitHub is listed before the cloud. */
class SweepOrderTest {
  private final FleetFixture fixture = new FleetFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aRunnerRegisteredRightAfterTheCloudWasListedIsLeftAlone() {
    StartsABatchAfterListing launcher = new StartsABatchAfterListing();
    RunnerFleet fleet = new RunnerFleet(fixture.client, launcher, fixture.options());
    launcher.fleet = fleet;

    SweepReport report = fleet.sweep(FleetFixture.OWNER, "dev");

    assertThat(report.nothingToDo()).isTrue();
    assertThat(fixture.registrations()).extracting(FakeRunner::name)
        .containsExactly(launcher.started.runners().get(0).runnerName());
  }

  /** The in-memory launcher, with a batch of one started by "another process" just after listOwned answers. */
  private final class StartsABatchAfterListing implements RunnerLauncher {
    RunnerFleet fleet;
    BatchResult started;

    @Override
    public List<LaunchedRunner> listOwned(String owner) {
      List<LaunchedRunner> listed = fixture.launcher.listOwned(owner);
      started = fleet.start(fixture.request().count(1).waitForOnline(false).build());
      return listed;
    }

    @Override
    public LaunchedRunner launch(LaunchSpec spec) {
      return fixture.launcher.launch(spec);
    }

    @Override
    public ContainerStatus describe(LaunchedRunner runner) {
      return fixture.launcher.describe(runner);
    }

    @Override
    public void terminate(LaunchedRunner runner, String reason) {
      fixture.launcher.terminate(runner, reason);
    }

    @Override
    public Capabilities capabilities() {
      return fixture.launcher.capabilities();
    }
  }
}
