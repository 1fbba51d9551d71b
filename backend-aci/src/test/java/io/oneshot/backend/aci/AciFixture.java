package io.oneshot.backend.aci;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.oneshot.spi.BackendSettings;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/**
 * A fake ACI with the resource group {@value #RESOURCE_GROUP}, and launchers built with the real Azure
 * SDK pointed at it over https: a Netty client that trusts the fake's certificate, a static bearer
 * token (the SDK's own bearer policy sends it), and the SDK's retry policy with 10 ms delays that
 * ignores {@code Retry-After}, so error paths stay fast.
 */
final class AciFixture implements AutoCloseable {
  static final String RESOURCE_GROUP = "runners";
  static final String IMAGE = "ghcr.io/oneshot/runner:latest";
  static final String SUBNET = "/subscriptions/" + FakeAci.DEFAULT_SUBSCRIPTION + "/resourceGroups/network"
      + "/providers/Microsoft.Network/virtualNetworks/ci/subnets/runners";
  static final String IDENTITY = "/subscriptions/" + FakeAci.DEFAULT_SUBSCRIPTION + "/resourceGroups/identities"
      + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/runner-pull";

  final FakeAci aci;
  final TestClock clock;
  /** The scopes the SDK asked the credential for. */
  final List<String> scopes = new CopyOnWriteArrayList<>();

  AciFixture(FakeGitHub github, TestClock clock) {
    this(FakeAci.builder().github(github).clock(clock).seed(7));
  }

  AciFixture(FakeAci.Builder builder) {
    aci = builder.build();
    clock = (TestClock) aci.clock();
    aci.addResourceGroup(RESOURCE_GROUP, "eastus");
  }

  Map<String, String> settings(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of(
        "subscription-id", FakeAci.DEFAULT_SUBSCRIPTION,
        "resource-group", RESOURCE_GROUP,
        "location", "eastus",
        "image", IMAGE,
        "endpoint", aci.endpoint().toString()));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return values;
  }

  AciRunnerLauncher launcher(String... overrides) {
    return create(new BackendSettings(settings(overrides), clock));
  }

  /** What {@link AciLauncherProvider#create} does with these string settings, through the same builder. */
  AciRunnerLauncher create(BackendSettings values) {
    AciRunnerLauncher.Builder builder = builder().clock(values.clock()).purpose(values.purpose());
    if (values.purpose() == io.oneshot.spi.LauncherPurpose.MANAGE) {
      io.oneshot.spi.SettingProblems problems = new io.oneshot.spi.SettingProblems();
      AciScope scope = AciScope.read(values, problems);
      problems.throwIfAny();
      return builder.scope(scope).build();
    }
    return builder.settings(AciSettings.parse(values)).build();
  }

  /** A launcher builder whose client trusts the fake, sends a static token and retries after 10 ms. */
  AciRunnerLauncher.Builder builder() {
    TokenCredential credential = request -> {
      scopes.addAll(request.getScopes());
      return Mono.just(new AccessToken("fake-arm-token", OffsetDateTime.now().plusHours(1)));
    };
    // A header ARM never sends: the SDK then waits the strategy's 10 ms instead of Retry-After.
    RetryPolicy retries = new RetryPolicy(new FixedDelay(3, Duration.ofMillis(10)), "x-oneshot-test-retry-after",
        ChronoUnit.MILLIS);
    return AciRunnerLauncher.builder().httpClient(httpClient(aci)).credential(credential).retryPolicy(retries)
        .clock(clock);
  }

  /** An Azure SDK HTTP client that trusts the fake's self-signed certificate (and only it). */
  static HttpClient httpClient(FakeAci aci) {
    try {
      SslContext tls = SslContextBuilder.forClient().trustManager(aci.certificate()).build();
      return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
          .secure(spec -> spec.sslContext(tls))).build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    aci.close();
  }
}
