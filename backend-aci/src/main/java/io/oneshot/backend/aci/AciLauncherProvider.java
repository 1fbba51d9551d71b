package io.oneshot.backend.aci;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code aci} backend for {@link java.util.ServiceLoader}: turns the named string settings into
 * {@link AciSettings} (or, for stop, sweep and status, an {@link AciScope}) and builds the launcher with
 * {@link AciRunnerLauncher#builder()}: {@code DefaultAzureCredential} (which {@code azure/login} with OIDC fills),
 * the public Azure cloud or the {@code endpoint} override, HTTP logging off. Embedding code with its own
 * credential, HTTP client or manager uses the builder directly. Makes no ARM call; stateless otherwise.
 */
public final class AciLauncherProvider implements RunnerLauncherProvider {
  private final UnaryOperator<AciRunnerLauncher.Builder> clients;

  /** The provider {@link java.util.ServiceLoader} creates: the SDK's own HTTP client, retries and credential. */
  public AciLauncherProvider() {
    this(builder -> builder);
  }

  /**
   * The same string-settings adapter with the caller's own HTTP client, credential or manager: {@code clients}
   * adds them to each launcher's builder, for example {@code b -> b.credential(myCredential)} or
   * {@code b -> b.trustedCertificate(privateCa)}. Does not block.
   */
  public AciLauncherProvider(UnaryOperator<AciRunnerLauncher.Builder> clients) {
    this.clients = java.util.Objects.requireNonNull(clients, "clients");
  }

  /** {@code aci}. Does not block. */
  @Override
  public String id() {
    return AciRunnerLauncher.ID;
  }

  /** The ACI settings, declared once. Does not block; the same list every call. */
  @Override
  public List<SettingDefinition> settings() {
    return AciSettings.DEFINITIONS;
  }

  /**
   * Checks every setting the purpose needs at once, then builds the launcher as
   * {@link AciRunnerLauncher.Builder#build()} does. Makes no ARM call; creates nothing.
   */
  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    AciRunnerLauncher.Builder builder = clients.apply(AciRunnerLauncher.builder()).clock(backendSettings.clock())
        .purpose(backendSettings.purpose());
    if (backendSettings.purpose() == LauncherPurpose.MANAGE) {
      SettingProblems problems = new SettingProblems();
      AciScope scope = AciScope.read(backendSettings, problems);
      problems.throwIfAny();
      return builder.scope(scope).build();
    }
    return builder.settings(AciSettings.parse(backendSettings)).build();
  }
}
