package io.oneshot.testkit;

import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.Optional;

/** The in-memory launcher passes the launcher contract. */
class InMemoryLauncherTest extends RunnerLauncherContract {
  private InMemoryLauncher launcher;

  @Override
  protected RunnerLauncher createLauncher() {
    launcher = new InMemoryLauncher(github);
    return launcher;
  }

  @Override
  protected void failNextImagePull() {
    launcher.faults().imagePullFailure(1);
  }

  @Override
  protected void failNextForCapacity() {
    launcher.faults().refuseCapacity(1);
  }

  @Override
  protected void forget(LaunchedRunner container) {
    launcher.forget(container.resourceId());
  }

  @Override
  protected Optional<SimulatedRunner> simulatedRunner(LaunchedRunner container) {
    return launcher.runner(container.resourceId());
  }
}
