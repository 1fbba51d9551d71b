package io.oneshot.backend.cloudrun;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingDefinition;
import java.util.List;

/**
 * The {@code cloudrun} backend for {@link java.util.ServiceLoader}: turns the named string settings (with the
 * project from {@code GOOGLE_CLOUD_PROJECT} or {@code CLOUDSDK_CORE_PROJECT} when unset) into
 * {@link CloudRunSettings} and builds the launcher with {@link CloudRunRunnerLauncher#builder()}: Application
 * Default Credentials, as google-github-actions/auth provides them, or none for a plaintext endpoint. Embedding
 * code that has its own clients or credentials uses the builder directly. Blocks during {@code create};
 * stateless otherwise.
 */
public final class CloudRunLauncherProvider implements RunnerLauncherProvider {

  /** The provider {@link java.util.ServiceLoader} creates. Does not block. */
  public CloudRunLauncherProvider() {}

  /** {@code cloudrun}. Does not block. */
  @Override
  public String id() {
    return CloudRunRunnerLauncher.ID;
  }

  /** The Cloud Run settings, declared once. Does not block; the same list every call. */
  @Override
  public List<SettingDefinition> settings() {
    return CloudRunSettings.DEFINITIONS;
  }

  /**
   * Checks every setting the purpose needs at once, then builds the launcher as
   * {@link CloudRunRunnerLauncher.Builder#build()} does (GetJob for START, no call for MANAGE). Blocks; creates
   * nothing.
   */
  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    return CloudRunRunnerLauncher.builder().settings(CloudRunSettings.parse(backendSettings, System.getenv()))
        .clock(backendSettings.clock()).purpose(backendSettings.purpose()).build();
  }
}
