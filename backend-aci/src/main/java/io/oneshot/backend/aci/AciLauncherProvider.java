package io.oneshot.backend.aci;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/**
 * The {@code aci} backend. {@link #create} checks every setting at once ({@link AciSettings}), then
 * builds the Azure SDK's container instance client with {@code DefaultAzureCredential} (which
 * {@code azure/login} with OIDC fills) and the public Azure cloud, or the {@code endpoint} override.
 * HTTP logging is switched off so that no request body (which carries the runner's credential) is ever
 * logged, whatever {@code AZURE_HTTP_LOG_DETAIL_LEVEL} says. For stop, sweep and status
 * ({@link LauncherPurpose#MANAGE}) only {@code subscription-id}, {@code resource-group} and {@code endpoint}
 * are read and checked. Makes no ARM call; stateless otherwise.
 */
public final class AciLauncherProvider implements RunnerLauncherProvider {
  /** What tests hand the SDK instead of its defaults. */
  record ClientHook(HttpClient httpClient, TokenCredential credential, RetryPolicy retryPolicy) {}

  private final Optional<ClientHook> hook;

  /** The provider {@link java.util.ServiceLoader} creates: the SDK's own HTTP client, retries and credential. */
  public AciLauncherProvider() {
    this.hook = Optional.empty();
  }

  /** For tests: an HTTP client that trusts the fake, a static credential and fast retries. */
  AciLauncherProvider(ClientHook hook) {
    this.hook = Optional.of(hook);
  }

  /**
   * A provider for a sandbox ARM endpoint, such as the demo's in-process fake: its client trusts only
   * the given certificate and sends a fixed bearer token instead of asking Azure for one. Not for
   * production: real endpoints use {@link #AciLauncherProvider()}.
   */
  public static AciLauncherProvider forSandbox(X509Certificate trustedCertificate) {
    HttpClient httpClient;
    try {
      SslContext tls = SslContextBuilder.forClient().trustManager(trustedCertificate).build();
      httpClient = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
          .secure(spec -> spec.sslContext(tls))).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot trust the sandbox endpoint's certificate", e);
    }
    TokenCredential sandboxToken = request -> Mono.just(new AccessToken("oneshot-sandbox-token",
        OffsetDateTime.now().plusHours(1)));
    return new AciLauncherProvider(new ClientHook(httpClient, sandboxToken,
        new RetryPolicy(new FixedDelay(3, Duration.ofMillis(50)))));
  }

  @Override
  public String id() {
    return AciRunnerLauncher.ID;
  }

  @Override
  public List<SettingDefinition> settings() {
    return AciSettings.DEFINITIONS;
  }

  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    Optional<AciSettings> launchSettings;
    AciScope scope;
    if (backendSettings.purpose() == LauncherPurpose.MANAGE) {
      SettingProblems problems = new SettingProblems();
      scope = AciScope.read(backendSettings, problems);
      problems.throwIfAny();
      launchSettings = Optional.empty();
    } else {
      AciSettings settings = AciSettings.parse(backendSettings);
      scope = settings.scope();
      launchSettings = Optional.of(settings);
    }
    AzureEnvironment environment = AzureEnvironment.AZURE;
    if (scope.endpoint().isPresent()) {
      Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
      String base = scope.endpoint().get().toString();
      endpoints.put("resourceManagerEndpointUrl", base.endsWith("/") ? base : base + "/");
      environment = new AzureEnvironment(endpoints);
    }
    AzureProfile profile = new AzureProfile(null, scope.subscriptionId(), environment);
    ContainerInstanceManager.Configurable configurable = ContainerInstanceManager.configure()
        .withLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE));
    TokenCredential credential;
    if (hook.isPresent()) {
      configurable.withHttpClient(hook.get().httpClient()).withRetryPolicy(hook.get().retryPolicy());
      credential = hook.get().credential();
    } else {
      credential = new DefaultAzureCredentialBuilder().build();
    }
    ContainerInstanceManager manager = configurable.authenticate(credential, profile);
    return new AciRunnerLauncher(manager.serviceClient().getContainerGroups(), scope, launchSettings,
        backendSettings.clock());
  }
}
