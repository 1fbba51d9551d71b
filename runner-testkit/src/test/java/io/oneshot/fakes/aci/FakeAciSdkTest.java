package io.oneshot.fakes.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import io.netty.handler.ssl.SslContextBuilder;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The fake ARM driven by the real Azure SDK (azure-resourcemanager-containerinstance 2.53.6) over
 * https, long-running operations included, and the reason it is https at all.
 */
class FakeAciSdkTest {
  private static final TokenCredential TOKEN = request ->
      Mono.just(new AccessToken("fake-arm-token", OffsetDateTime.now().plusHours(1)));
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(3).build();
  /** Zero timings: a group is running (or failed, or gone) by the SDK's first poll, so no clock has to move. */
  private final FakeAci aci = FakeAci.builder().github(github).seed(4).lroRetryAfterSeconds(0)
      .timings(new AciTimings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(3), Duration.ZERO)).build();
  private final GitHubClient client;

  FakeAciSdkTest() throws Exception {
    aci.addResourceGroup("rg", "eastus");
    github.addOrganization("octo");
    client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper()).build();
  }

  @AfterEach
  void close() {
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> delay);
    try {
      aci.close();
    } finally {
      github.close();
    }
  }

  private AzureProfile profile(String endpoint) {
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", endpoint + "/");
    return new AzureProfile(null, aci.subscriptionId(), new AzureEnvironment(endpoints));
  }

  private ContainerGroupsClient groups() throws Exception {
    // Read when the client is built: the SDK's LRO poll interval (30 s by default) becomes 5 ms.
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> Duration.ofMillis(5));
    var tls = SslContextBuilder.forClient().trustManager(aci.certificate()).build();
    return ContainerInstanceManager.configure()
        .withHttpClient(new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
            .secure(spec -> spec.sslContext(tls))).build())
        .authenticate(TOKEN, profile(aci.endpoint().toString())).serviceClient().getContainerGroups();
  }

  private ContainerGroupInner runnerGroup(String jit) {
    ContainerGroupInner group = new ContainerGroupInner()
        .withContainers(List.of(new Container().withName("runner").withImage("ghcr.io/oneshot/runner:1")
            .withResources(new ResourceRequirements().withRequests(new ResourceRequests().withCpu(2).withMemoryInGB(4)))
            .withEnvironmentVariables(List.of(new EnvironmentVariable().withName(RunnerEnvironment.JIT_CONFIG)
                .withSecureValue(jit)))))
        .withOsType(OperatingSystemTypes.LINUX).withRestartPolicy(ContainerGroupRestartPolicy.NEVER);
    group.withLocation("eastus");
    group.withTags(Map.of("oneshot-owner", "team"));
    return group;
  }

  private String jit(String name) {
    return client.generateJitConfig(new JitConfigRequest(name, 1, List.of("self-hosted"), "_work")).encodedJitConfig();
  }

  @Test
  void theSdksLongRunningCreateAndDeleteCompleteAgainstTheFake() throws Exception {
    ContainerGroupsClient groups = groups();

    long start = System.nanoTime();
    ContainerGroupInner created = groups.beginCreateOrUpdate("rg", "runner-1", runnerGroup(jit("runner-1")))
        .getFinalResult();
    long createMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(created.provisioningState()).isEqualTo("Succeeded");
    assertThat(created.containers().get(0).environmentVariables().get(0).secureValue()).isNull();
    assertThat(created.instanceView().state()).isEqualTo("Running");
    assertThat(aci.callCount("AsyncOperation")).isPositive();
    SimulatedRunner runner = aci.runner(created.id()).orElseThrow();
    clock.advance(Duration.ofSeconds(5));
    assertThat(runner.isOnline()).as("started from the secure env").isTrue();
    assertThat(groups.listByResourceGroup("rg").stream().map(ContainerGroupInner::name)).containsExactly("runner-1");

    groups.beginDelete("rg", "runner-1").getFinalResult();
    assertThatThrownBy(() -> groups.getByResourceGroup("rg", "runner-1"))
        .isInstanceOfSatisfying(ManagementException.class, e -> {
          assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
          assertThat(e.getValue().getCode()).isEqualTo("ResourceNotFound");
        });
    assertThat(aci.apiVersions()).containsExactly("2023-05-01");
    assertThat(createMillis).as("create took %d ms", createMillis).isLessThan(5000);
    System.out.printf("SDK LRO create %d ms, %d async-operation polls%n", createMillis, aci.callCount("AsyncOperation"));
  }

  @Test
  void aRunnerThatExitsTerminatesItsContainerWithTheExitCode() throws Exception {
    ContainerGroupsClient groups = groups();
    groups.createOrUpdateWithResponseAsync("rg", "runner-2", runnerGroup(jit("runner-2"))).block();
    clock.advance(Duration.ofSeconds(5));
    String id = aci.groups().get(0).id();

    aci.runner(id).orElseThrow().crash(7);

    ContainerGroupInner group = groups.getByResourceGroup("rg", "runner-2");
    assertThat(group.containers().get(0).instanceView().currentState().state()).isEqualTo("Terminated");
    assertThat(group.containers().get(0).instanceView().currentState().exitCode()).isEqualTo(7);
    assertThat(group.instanceView().state()).isEqualTo("Failed");
  }

  @Test
  void aFailedProvisioningFailsTheSdksLongRunningOperation() throws Exception {
    ContainerGroupsClient groups = groups();
    aci.faults().capacityFailureAfterAcceptNext(1);

    var poller = groups.beginCreateOrUpdate("rg", "runner-3", runnerGroup("not-a-jit"));
    PollResponse<PollResult<ContainerGroupInner>> last = poller.waitForCompletion();

    assertThat(last.getStatus()).isEqualTo(LongRunningOperationStatus.FAILED);
    assertThat(last.getValue().getError().getResponseBody()).contains("\"code\":\"InsufficientCapacity\"")
        .contains("The requested resource is not available in the location 'eastus'");
  }

  @Test
  void theSdkRefusesBearerTokensOverPlainHttpWhichIsWhyTheFakeIsHttps() {
    ContainerGroupsClient plain = ContainerInstanceManager.authenticate(TOKEN, profile("http://127.0.0.1:9"))
        .serviceClient().getContainerGroups();

    assertThatThrownBy(() -> plain.getByResourceGroup("rg", "any"))
        .hasMessageContaining("token credentials require a URL using the HTTPS protocol scheme");
  }
}
