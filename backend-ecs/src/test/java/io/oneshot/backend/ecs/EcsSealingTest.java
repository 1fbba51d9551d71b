package io.oneshot.backend.ecs;

import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.testkit.SealingContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * seal-public-key on ECS: what RunTask sends (and DescribeTasks would show) carries the credential only sealed,
 * the launcher reports a secret environment, and a registration token is refused unsealed.
 */
class EcsSealingTest extends SealingContract {
  private final EcsFixture fixture = new EcsFixture(org.github(), org.clock());

  @AfterEach
  void closeFixture() {
    fixture.close();
  }

  @Override
  protected RunnerLauncher launcher(String... settings) {
    return fixture.launcher(settings);
  }

  @Override
  protected Map<String, String> firstContainerEnvironment() {
    return fixture.ecs.tasks().get(0).environment();
  }

  @Override
  protected int launchCalls() {
    return fixture.ecs.callCount("RunTask");
  }

  @Override
  protected String environmentReadPermission() {
    return "ecs:DescribeTasks";
  }

  @Override
  protected RunnerLauncherProvider provider() {
    return new EcsLauncherProvider();
  }
}
