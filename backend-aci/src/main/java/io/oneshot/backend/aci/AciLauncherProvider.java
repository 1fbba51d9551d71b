package io.oneshot.backend.aci;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

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

  private AciLauncherProvider(UnaryOperator<AciRunnerLauncher.Builder> clients) {
    this.clients = clients;
  }

  /**
   * A provider for a sandbox ARM endpoint, such as the demo's in-process fake: its client trusts only the given
   * certificate and sends a fixed bearer token instead of asking Azure for one. Not for production. Does not
   * block. Prefer {@code AciRunnerLauncher.builder().trustedCertificate(certificate).credential(...)}; this
   * method goes once the demo uses the builder.
   */
  public static AciLauncherProvider forSandbox(X509Certificate trustedCertificate) {
    TokenCredential sandboxToken = request -> Mono.just(new AccessToken("oneshot-sandbox-token",
        OffsetDateTime.now().plusHours(1)));
    RetryPolicy retries = new RetryPolicy(new FixedDelay(3, Duration.ofMillis(50)));
    return new AciLauncherProvider(builder -> builder.trustedCertificate(trustedCertificate).credential(sandboxToken)
        .retryPolicy(retries));
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
