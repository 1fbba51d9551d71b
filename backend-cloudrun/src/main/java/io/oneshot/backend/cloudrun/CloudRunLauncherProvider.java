package io.oneshot.backend.cloudrun;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingDefinition;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code cloudrun} backend for {@link java.util.ServiceLoader}: turns the named string settings (with the
 * project from {@code GOOGLE_CLOUD_PROJECT} or {@code CLOUDSDK_CORE_PROJECT} when unset) into
 * {@link CloudRunSettings} and builds the launcher with {@link CloudRunRunnerLauncher#builder()}: Application
 * Default Credentials, as google-github-actions/auth provides them, or none for a plaintext endpoint. Embedding
 * code that has its own clients or credentials uses the builder directly. Blocks during {@code create};
 * stateless otherwise.
 */
public final class CloudRunLauncherProvider implements RunnerLauncherProvider {
  private final UnaryOperator<CloudRunRunnerLauncher.Builder> clients;

  /** The provider {@link java.util.ServiceLoader} creates: the client library's own transport and credentials. */
  public CloudRunLauncherProvider() {
    this(builder -> builder);
  }

  /**
   * The same string-settings adapter with the caller's own clients, transport or credentials: {@code clients}
   * adds them to each launcher's builder, for example {@code b -> b.transportChannelProvider(channel)
   * .credentialsProvider(credentials)}. The launcher never closes clients passed in. Does not block.
   */
  public CloudRunLauncherProvider(UnaryOperator<CloudRunRunnerLauncher.Builder> clients) {
    this.clients = java.util.Objects.requireNonNull(clients, "clients");
  }

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
    return clients.apply(CloudRunRunnerLauncher.builder().settings(CloudRunSettings.parse(backendSettings,
        System.getenv())).clock(backendSettings.clock()).purpose(backendSettings.purpose())).build();
  }
}
