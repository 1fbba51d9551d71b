package io.oneshot.backend.cloudrun;

import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.testkit.SealingContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * seal-public-key on Cloud Run: what RunJob sends (and run.executions.get would show) carries the credential only
 * sealed, the launcher reports a secret environment, and a registration token is refused unsealed.
 */
class CloudRunSealingTest extends SealingContract {
  private final CloudRunFixture fixture = new CloudRunFixture(org.github(), org.clock());

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
    return fixture.cloudRun.executions().get(0).environment();
  }

  @Override
  protected int launchCalls() {
    return fixture.cloudRun.callCount("RunJob");
  }

  @Override
  protected String environmentReadPermission() {
    return "run.executions.get";
  }

  @Override
  protected RunnerLauncherProvider provider() {
    return new CloudRunLauncherProvider();
  }
}
