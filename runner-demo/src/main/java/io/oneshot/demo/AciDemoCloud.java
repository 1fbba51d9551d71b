package io.oneshot.demo;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import java.time.Duration;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

import io.oneshot.backend.aci.AciLauncherProvider;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.aci.FakeContainerGroup;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's fake ARM for ACI over https, and the ACI provider with a client that trusts only its certificate. */
final class AciDemoCloud implements DemoCloud {
  private static final String RESOURCE_GROUP = "ci-runners";
  private final FakeAci aci;

  AciDemoCloud(FakeGitHub github) {
    aci = FakeAci.builder().github(github).clock(github.clock()).seed(System.nanoTime()).build();
    aci.addResourceGroup(RESOURCE_GROUP, "westeurope");
  }

  @Override
  public String backend() {
    return "aci";
  }

  @Override
  public String describe() {
    return "fake Azure Resource Manager at " + aci.endpoint();
  }

  @Override
  public Map<String, String> inputs() {
    return Map.of("subscription-id", aci.subscriptionId(), "resource-group", RESOURCE_GROUP, "location", "westeurope",
        "image", "ghcr.io/oneshot/runner:demo");
  }

  @Override
  public RunnerLauncherProvider provider() {
    // The fake's https endpoint, trusted by its certificate alone, and a fixed token instead of Azure's.
    TokenCredential sandboxToken = request -> Mono.just(new AccessToken("oneshot-sandbox-token",
        OffsetDateTime.now().plusHours(1)));
    return new AciLauncherProvider(builder -> builder.endpoint(aci.endpoint()).trustedCertificate(aci.certificate())
        .credential(sandboxToken).retryPolicy(new RetryPolicy(new FixedDelay(3, Duration.ofMillis(50)))));
  }

  @Override
  public List<String> containers() {
    return aci.groups().stream().map(FakeContainerGroup::id).toList();
  }

  @Override
  public Optional<SimulatedRunner> runner(String container) {
    return aci.runner(container);
  }

  @Override
  public long running() {
    aci.poll();
    return aci.groups().stream().filter(group -> group.containerState().filter("Terminated"::equals).isEmpty()).count();
  }

  @Override
  public void close() {
    aci.close();
  }
}
