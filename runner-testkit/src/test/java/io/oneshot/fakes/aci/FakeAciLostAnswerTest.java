package io.oneshot.fakes.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.netty.handler.ssl.SslContextBuilder;
import io.oneshot.fakes.TestClock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Answers lost after the request took effect: the change is made, the real Azure SDK sees a failure. */
class FakeAciLostAnswerTest {
  private static final TokenCredential TOKEN = request ->
      Mono.just(new AccessToken("fake-arm-token", OffsetDateTime.now().plusHours(1)));
  private final FakeAci aci = FakeAci.builder().clock(TestClock.atEpochOfTests()).seed(5).lroRetryAfterSeconds(0)
      .build();
  private final ContainerGroupsClient groups;

  FakeAciLostAnswerTest() throws Exception {
    aci.addResourceGroup("rg", "eastus");
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", aci.endpoint() + "/");
    var tls = SslContextBuilder.forClient().trustManager(aci.certificate()).build();
    // No retries: the client's first failure is what the test looks at.
    groups = ContainerInstanceManager.configure()
        .withHttpClient(new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
            .secure(spec -> spec.sslContext(tls))).build())
        .withRetryPolicy(new RetryPolicy(new FixedDelay(0, Duration.ZERO)))
        .authenticate(TOKEN, new AzureProfile(null, aci.subscriptionId(), new AzureEnvironment(endpoints)))
        .serviceClient().getContainerGroups();
  }

  @AfterEach
  void close() {
    aci.close();
  }

  private static ContainerGroupInner group() {
    ContainerGroupInner group = new ContainerGroupInner()
        .withContainers(List.of(new Container().withName("runner").withImage("ghcr.io/oneshot/runner:1")
            .withResources(new ResourceRequirements().withRequests(new ResourceRequests().withCpu(1).withMemoryInGB(2)))))
        .withOsType(OperatingSystemTypes.LINUX).withRestartPolicy(ContainerGroupRestartPolicy.NEVER);
    group.withLocation("eastus");
    return group;
  }

  @Test
  void aPutWhoseAnswerIsLostCreatedTheGroupAndTheSdkSawAnIoError() {
    aci.faults().loseAnswerNext(AciFaults.CREATE, 1);

    assertThatThrownBy(() -> groups.createOrUpdateWithResponseAsync("rg", "runner-1", group()).block())
        .isNotInstanceOf(ManagementException.class);

    assertThat(aci.groups()).extracting(FakeContainerGroup::name).containsExactly("runner-1");
    assertThat(aci.calls()).extracting(c -> c.operation() + " " + c.status() + " " + c.errorCode())
        .containsExactly(AciFaults.CREATE + " 0 AnswerLost");
    assertThat(aci.rejectedRequests()).isEmpty();
  }

  @Test
  void aDeleteAnswered503AfterTakingEffectDeletedTheGroup() {
    groups.createOrUpdateWithResponseAsync("rg", "runner-2", group()).block();
    aci.faults().serviceUnavailableAfterEffectNext(AciFaults.DELETE, 1);

    assertThatThrownBy(() -> groups.deleteWithResponseAsync("rg", "runner-2").block())
        .isInstanceOfSatisfying(ManagementException.class, e -> {
          assertThat(e.getResponse().getStatusCode()).isEqualTo(503);
          assertThat(e.getValue().getCode()).isEqualTo("ServiceUnavailable");
        });

    assertThat(aci.groups()).allSatisfy(g -> assertThat(g.provisioningState()).isEqualTo("Deleting"));
    assertThat(aci.callCount(AciFaults.DELETE)).isEqualTo(1);
  }
}
