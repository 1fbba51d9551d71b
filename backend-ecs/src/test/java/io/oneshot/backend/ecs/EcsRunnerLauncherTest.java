package io.oneshot.backend.ecs;

import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.RunnerLauncherContract;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.Optional;

/** The ECS launcher passes the launcher contract against the fake ECS, with the real AWS SDK. */
class EcsRunnerLauncherTest extends RunnerLauncherContract {
  private EcsFixture fixture;

  @Override
  protected RunnerLauncher createLauncher() {
    fixture = new EcsFixture(github, clock);
    return fixture.launcher();
  }

  @Override
  protected void failNextImagePull() {
    fixture.ecs.faults().imagePullFailureNext(1);
  }

  @Override
  protected void failNextForCapacity() {
    fixture.ecs.faults().capacityFailureNext(1);
  }

  @Override
  protected void forget(LaunchedRunner container) {
    fixture.ecs.forget(container.resourceId());
  }

  @Override
  protected Optional<SimulatedRunner> simulatedRunner(LaunchedRunner container) {
    return fixture.ecs.runner(container.resourceId());
  }

  @Override
  protected void closeBackend() {
    fixture.close();
  }
}
