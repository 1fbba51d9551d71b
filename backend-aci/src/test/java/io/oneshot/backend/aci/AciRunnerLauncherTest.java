package io.oneshot.backend.aci;

import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.RunnerLauncherContract;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.Optional;

/** The ACI launcher passes the launcher contract against the fake ARM, with the real Azure SDK over https. */
class AciRunnerLauncherTest extends RunnerLauncherContract {
  private AciFixture fixture;

  @Override
  protected RunnerLauncher createLauncher() {
    fixture = new AciFixture(github, clock);
    return fixture.launcher();
  }

  @Override
  protected void failNextImagePull() {
    fixture.aci.faults().imagePullFailureNext(1);
  }

  @Override
  protected void failNextForCapacity() {
    fixture.aci.faults().capacityFailureNext(1);
  }

  @Override
  protected void forget(LaunchedRunner container) {
    fixture.aci.forget(container.resourceId());
  }

  @Override
  protected Optional<SimulatedRunner> simulatedRunner(LaunchedRunner container) {
    return fixture.aci.runner(container.resourceId());
  }

  @Override
  protected void closeBackend() {
    fixture.close();
  }
}
