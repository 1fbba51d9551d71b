package io.oneshot.backend.cloudrun;

import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.RunnerLauncherContract;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.Optional;

/** The Cloud Run launcher passes the launcher contract against the fake Cloud Run, with the real client. */
class CloudRunRunnerLauncherTest extends RunnerLauncherContract {
  private CloudRunFixture fixture;

  @Override
  protected RunnerLauncher createLauncher() {
    fixture = new CloudRunFixture(github, clock);
    return fixture.launcher();
  }

  @Override
  protected void failNextImagePull() {
    fixture.cloudRun.faults().imageMissingNext(1);
  }

  @Override
  protected void failNextForCapacity() {
    fixture.cloudRun.faults().noResourcesNext(1);
  }

  @Override
  protected void forget(LaunchedRunner container) {
    fixture.cloudRun.forget(container.resourceId());
  }

  @Override
  protected Optional<SimulatedRunner> simulatedRunner(LaunchedRunner container) {
    return fixture.cloudRun.runner(container.resourceId());
  }

  @Override
  protected void closeBackend() {
    fixture.close();
  }
}
