package io.oneshot.backend.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubClient;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.aci.AciFaults;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.aci.FakeContainerGroup;
import io.oneshot.fakes.github.FakeGitHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ACI-specific behaviour of the launcher, with the real Azure SDK against the fake ARM over https. */
class AciLauncherBehaviourTest {
  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final GitHubClient client = org.client();
  private final AciFixture fixture = new AciFixture(github, clock);
  private int names;

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private LaunchSpec spec(String runnerName, int capacityOption) {
    return org.jitLaunchSpec(runnerName, List.of("self-hosted", "aci"), Map.of(), capacityOption);
  }

  private LaunchSpec spec(int capacityOption) {
    return spec(String.format("aci-%08d", ++names), capacityOption);
  }

  private ContainerStatus after(AciRunnerLauncher launcher, LaunchedRunner launched, Duration wait) {
    clock.advance(wait);
    return launcher.describe(launched);
  }

  @Test
  void theJitConfigIsSentAsASecureValueAndNeverReadBack() throws Exception {
    AciRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec(0);
    String jit = spec.credential().secret();

    LaunchedRunner launched = launcher.launch(spec);

    String put = fixture.aci.requestBodies(AciFaults.CREATE).get(0);
    assertThat(put).contains("{\"name\":\"" + RunnerEnvironment.JIT_CONFIG + "\",\"secureValue\":\"" + jit + "\"}")
        .doesNotContain("\"value\":\"" + jit + "\"");
    FakeContainerGroup group = fixture.aci.groups().get(0);
    assertThat(group.secureEnvironmentNames()).containsExactly(RunnerEnvironment.JIT_CONFIG);
    assertThat(group.environment()).containsEntry(RunnerEnvironment.IDLE_TIMEOUT, "600s")
        .doesNotContainKey(RunnerEnvironment.JIT_CONFIG);
    // What any reader of the group gets back: GET over the wire, and what the launcher reports.
    String get = rawGet(launched.resourceId());
    assertThat(get).contains("\"name\":\"" + RunnerEnvironment.JIT_CONFIG + "\"").doesNotContain(jit)
        .doesNotContain("secureValue");
    assertThat(launched.toString()).doesNotContain(jit);
    assertThat(fixture.scopes).contains("https://management.core.windows.net//.default");
  }

  @Test
  void theGroupIsALinuxNeverRestartingRunnerWithOwnershipTagsAndTheIdempotencyKey() {
    AciRunnerLauncher launcher = fixture.launcher("cpu", "1.5", "memory", "3.5");
    LaunchSpec spec = spec(0);

    LaunchedRunner launched = launcher.launch(spec);

    FakeContainerGroup group = fixture.aci.groups().get(0);
    assertThat(group.name()).isEqualTo(spec.runnerName());
    assertThat(launched.resourceId()).isEqualTo(fixture.aci.groupId("runners", spec.runnerName()));
    assertThat(group.osType()).isEqualTo("Linux");
    assertThat(group.restartPolicy()).contains("Never");
    assertThat(group.priority()).contains("Regular");
    assertThat(group.image()).isEqualTo(AciFixture.IMAGE);
    assertThat(group.cpu()).isEqualTo(1.5);
    assertThat(group.memoryInGb()).isEqualTo(3.5);
    assertThat(group.tags()).containsAllEntriesOf(spec.tags())
        .containsEntry(AciTags.IDEMPOTENCY_KEY, spec.idempotencyKey())
        .containsEntry(AciTags.RUNNER_NAME, spec.runnerName())
        .containsEntry(AciTags.LAUNCHED, Long.toString(clock.instant().getEpochSecond()));
    assertThat(launched.region()).isEqualTo("eastus");
    assertThat(launched.launchedAt()).isEqualTo(clock.instant());
    assertThat(launched.consoleUrl()).get().asString().startsWith("https://portal.azure.com/#resource/subscriptions/");
    assertThat(fixture.aci.apiVersions()).containsExactly("2023-05-01");
    assertThat(fixture.aci.rejectedRequests()).isEmpty();
  }

  @Test
  void aRunnerNameArmRejectsIsMappedToAValidUniqueGroupNameAndKeptInATag() {
    AciRunnerLauncher launcher = fixture.launcher();
    LaunchSpec dotted = spec("Team.CI-aB3dE5gH", 0);
    LaunchSpec lower = spec("team-ci-ab3de5gh", 0);

    LaunchedRunner first = launcher.launch(dotted);
    LaunchedRunner second = launcher.launch(lower);

    String mapped = AciRunnerLauncher.groupName(dotted.runnerName());
    assertThat(FakeAci.isValidName(mapped)).isTrue();
    assertThat(mapped).startsWith("team-ci-ab3de5gh-").hasSize("team-ci-ab3de5gh-".length() + 8);
    assertThat(first.resourceId()).endsWith("/" + mapped).isNotEqualTo(second.resourceId());
    assertThat(first.tag(AciTags.RUNNER_NAME)).contains("Team.CI-aB3dE5gH");
    assertThat(launcher.launch(dotted).resourceId()).as("the same launch again").isEqualTo(first.resourceId());
    assertThat(fixture.aci.rejectedRequests()).isEmpty();
  }

  @Test
  void launchReturnsOnceArmAcceptsWithoutPollingTheLongRunningOperation() {
    AciRunnerLauncher launcher = fixture.launcher();
    launcher.launch(spec(0));
    LaunchSpec spec = spec(0);

    long start = System.nanoTime();
    LaunchedRunner launched = launcher.launch(spec);
    long launchMillis = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    launcher.terminate(launched, "test");
    long terminateMillis = (System.nanoTime() - start) / 1_000_000;

    // The fake's operations stay InProgress (its clock has not moved): waiting for them would hang.
    assertThat(launchMillis).as("launch took %d ms", launchMillis).isLessThan(2000);
    assertThat(terminateMillis).as("terminate took %d ms", terminateMillis).isLessThan(2000);
    assertThat(fixture.aci.callCount("AsyncOperation")).isZero();
    assertThat(fixture.aci.callCount("OperationResult")).isZero();
    System.out.printf("launch %d ms, terminate %d ms (warm, SDK defaults, no LRO polling)%n", launchMillis,
        terminateMillis);
  }

  @Test
  void anExistingGroupWithAnotherIdempotencyKeyIsNotTakenOver() {
    AciRunnerLauncher launcher = fixture.launcher();
    LaunchSpec spec = spec(0);
    launcher.launch(spec);
    LaunchSpec other = spec.retryWith(spec.credential(), spec.runnerName(), spec.tags(), "another-key", 0);

    assertThatThrownBy(() -> launcher.launch(other))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
          assertThat(e.backendReason()).isEqualTo("ContainerGroupNameTaken");
        })
        .hasMessageContaining("already exists in resource group runners");
    assertThat(fixture.aci.callCount(AciFaults.CREATE)).isEqualTo(1);
  }

  @Test
  void spotIsTheFirstCapacityOptionAndRegularTheSecond() {
    AciRunnerLauncher launcher = fixture.launcher("priority", "Spot");
    fixture.aci.faults().noCapacityFor("Spot");

    assertThat(launcher.capabilities().capacityOptions()).isEqualTo(2);
    assertThatThrownBy(() -> launcher.launch(spec(0)))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CAPACITY);
          assertThat(e.retryable()).isTrue();
          assertThat(e.backendReason()).isEqualTo("ServiceUnavailable");
        })
        .hasMessageContaining("is not available in the location 'eastus'");
    launcher.launch(spec(1));

    assertThat(fixture.aci.groups()).singleElement().satisfies(g -> assertThat(g.priority()).contains("Regular"));
    assertThat(fixture.aci.requestBodies(AciFaults.CREATE).get(0)).contains("\"priority\":\"Spot\"");
  }

  @Test
  void everyArmRefusalAtLaunchMapsToItsFailureKind() {
    AciRunnerLauncher launcher = fixture.launcher("registry-server", "myacr.azurecr.io", "registry-username", "puller",
        "registry-password", "Pa55-secret");
    fixture.aci.faults().skuNotAvailableNext(1).quotaReachedNext(1).inaccessibleImageNext(1);
    fixture.aci.faults().authorizationFailedNext(AciFaults.CREATE, 1);
    LaunchSpec spec = spec(0);
    String jit = spec.credential().secret();

    assertThat(refusal(launcher, spec)).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.PERMISSION);
      assertThat(e.getMessage()).contains("Microsoft.ContainerInstance/containerGroups/write").contains("docs/azure/aci-role.json");
    });
    assertThat(refusal(launcher, spec)).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.CAPACITY);
      assertThat(e.backendReason()).isEqualTo("SkuNotAvailable");
    });
    assertThat(refusal(launcher, spec)).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.CAPACITY);
      assertThat(e.backendReason()).isEqualTo("ContainerGroupQuotaReached");
      assertThat(e.getMessage()).contains("the ACI quota 'StandardCores' in eastus (limit 10) is used up");
    });
    assertThat(refusal(launcher, spec)).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.IMAGE_PULL);
      assertThat(e.backendReason()).isEqualTo("InaccessibleImage");
    });
    for (String body : fixture.aci.requestBodies(AciFaults.CREATE)) {
      assertThat(body).contains("\"password\":\"Pa55-secret\"");
    }
    assertThat(fixture.aci.calls()).extracting(c -> c.errorCode()).doesNotContain("Pa55-secret", jit);
  }

  private static LaunchFailedException refusal(AciRunnerLauncher launcher, LaunchSpec spec) {
    try {
      launcher.launch(spec);
    } catch (LaunchFailedException e) {
      assertThat(e.getMessage()).doesNotContain(spec.credential().secret()).doesNotContain("Pa55-secret");
      return e;
    }
    throw new AssertionError("the launch was not refused");
  }

  @Test
  void failuresAfterArmAcceptedAreReadFromTheGroup() {
    AciRunnerLauncher launcher = fixture.launcher();
    fixture.aci.faults().capacityFailureAfterAcceptNext(1).imagePullFailureNext(1);
    LaunchedRunner noCapacity = launcher.launch(spec(0));
    LaunchedRunner badImage = launcher.launch(spec(0));

    ContainerStatus capacity = after(launcher, noCapacity, Duration.ofSeconds(30));
    ContainerStatus pull = launcher.describe(badImage);

    assertThat(capacity.state()).isEqualTo(ContainerState.STOPPED);
    assertThat(capacity.failure()).contains(FailureKind.CAPACITY);
    assertThat(capacity.rawStatus()).isEqualTo("Failed/Pending/-");
    assertThat(capacity.reason()).startsWith("InsufficientCapacity: The requested resource is not available");
    assertThat(pull.failure()).contains(FailureKind.IMAGE_PULL);
    assertThat(pull.reason()).startsWith("Failed: Failed to pull image \"" + AciFixture.IMAGE + "\"");
  }

  @Test
  void describeFollowsProvisioningThenTheContainer() {
    AciRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec(0));

    assertThat(launcher.describe(launched).rawStatus()).isEqualTo("Pending/-/-");
    assertThat(after(launcher, launched, Duration.ofSeconds(4)))
        .satisfies(s -> assertThat(s.state()).isEqualTo(ContainerState.PENDING))
        .satisfies(s -> assertThat(s.rawStatus()).isEqualTo("Creating/Pending/Waiting"));
    assertThat(after(launcher, launched, Duration.ofSeconds(4)).rawStatus()).isEqualTo("Succeeded/Running/Running");
    fixture.aci.runner(launched.resourceId()).orElseThrow().crash(2);
    ContainerStatus crashed = launcher.describe(launched);
    assertThat(crashed.rawStatus()).isEqualTo("Succeeded/Failed/Terminated");
    assertThat(crashed.reason()).isEqualTo("Error (exit code 2)");
    launcher.terminate(launched, "test");
    assertThat(launcher.describe(launched).rawStatus()).startsWith("Deleting/");
    assertThat(after(launcher, launched, Duration.ofSeconds(5)).state()).isEqualTo(ContainerState.GONE);
  }

  @Test
  void throttlingAndServerErrorsAreAbsorbedBySdkRetries() {
    AciRunnerLauncher launcher = fixture.launcher();
    fixture.aci.faults().throttleNext(AciFaults.CREATE, 2).serviceUnavailableNext(AciFaults.GET, 1);

    launcher.launch(spec(0));

    assertThat(fixture.aci.callCount(AciFaults.CREATE)).isEqualTo(3);
    assertThat(fixture.aci.callCount(AciFaults.GET)).isEqualTo(2);
    assertThat(fixture.aci.groups()).hasSize(1);
  }

  @Test
  void persistentThrottlingIsAThrottledRetryableFailure() {
    AciRunnerLauncher launcher = fixture.launcher();
    fixture.aci.faults().throttleNext(AciFaults.CREATE, 4);

    assertThat(refusal(launcher, spec(0))).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED);
      assertThat(e.retryable()).isTrue();
    });
  }

  @Test
  void terminateTreatsGoneAndAlreadyDeletingAsDoneButReportsOtherConflicts() {
    AciRunnerLauncher launcher = fixture.launcher();
    LaunchedRunner launched = launcher.launch(spec(0));
    launcher.terminate(launched, "first");
    launcher.terminate(launched, "again, while deleting");
    clock.advance(Duration.ofSeconds(10));
    assertThatCode(() -> launcher.terminate(launched, "gone")).doesNotThrowAnyException();

    LaunchedRunner busy = launcher.launch(spec(0));
    fixture.aci.faults().conflictNext(AciFaults.DELETE, 1);
    assertThatThrownBy(() -> launcher.terminate(busy, "conflict"))
        .isInstanceOfSatisfying(OneshotException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("Microsoft.ContainerInstance/containerGroups/delete failed: Conflict");
    assertThat(fixture.aci.callCount(AciFaults.DELETE)).isEqualTo(4);
  }

  @Test
  void vnetGroupsGetAPrivateIpReportedOnceRunning() {
    AciRunnerLauncher launcher = fixture.launcher("subnet-ids", AciFixture.SUBNET);
    LaunchedRunner launched = launcher.launch(spec(0));

    ContainerStatus running = after(launcher, launched, Duration.ofSeconds(10));

    assertThat(launcher.capabilities().reportsPrivateIp()).isTrue();
    assertThat(fixture.aci.groups().get(0).subnetIds()).containsExactly(AciFixture.SUBNET);
    assertThat(running.privateIp()).get().asString().startsWith("10.0.");
    assertThat(launcher.listOwned("team").get(0).privateIp()).isEqualTo(running.privateIp());
  }

  @Test
  void aUserAssignedIdentityPullsFromThePrivateRegistry() {
    AciRunnerLauncher launcher = fixture.launcher("registry-server", "myacr.azurecr.io", "identity", AciFixture.IDENTITY,
        "zones", "2");

    launcher.launch(spec(0));

    FakeContainerGroup group = fixture.aci.groups().get(0);
    assertThat(group.userAssignedIdentities()).containsExactly(AciFixture.IDENTITY);
    assertThat(group.registryServers()).containsExactly("myacr.azurecr.io");
    assertThat(group.zones()).containsExactly("2");
    assertThat(fixture.aci.requestBodies(AciFaults.CREATE).get(0)).contains("\"identity\":\"" + AciFixture.IDENTITY
        + "\"").doesNotContain("password");
  }

  @Test
  void listOwnedFollowsNextLinksAndFiltersByOwner() {
    fixture.close();
    try (AciFixture paged = new AciFixture(FakeAci.builder().github(github).clock(clock).seed(3).listPageSize(7))) {
      AciRunnerLauncher launcher = paged.launcher();
      for (int i = 0; i < 20; i++) {
        LaunchSpec spec = spec(0);
        launcher.launch(i % 4 == 0 ? spec.retryWith(spec.credential(), spec.runnerName(),
            Map.of(OwnershipTags.OWNER, "other"), spec.idempotencyKey(), 0) : spec);
      }

      assertThat(launcher.listOwned("team")).hasSize(15).allSatisfy(r -> {
        assertThat(r.tag(OwnershipTags.OWNER)).contains("team");
        assertThat(r.launchedAt()).isEqualTo(clock.instant());
      });
      assertThat(launcher.listOwned("nobody")).isEmpty();
      assertThat(paged.aci.callCount(AciFaults.LIST)).isEqualTo(2 * 3);
    }
  }

  @Test
  void aMissingResourceGroupIsAConfigurationFailure() {
    AciRunnerLauncher launcher = fixture.launcher("resource-group", "nowhere");

    assertThat(refusal(launcher, spec(0))).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
      assertThat(e.backendReason()).isEqualTo("ResourceGroupNotFound");
      assertThat(e.getMessage()).contains("Resource group 'nowhere' could not be found");
    });
  }

  /** GET over plain java.net.http, trusting the fake's certificate: what any ARM reader sees. */
  private String rawGet(String resourceId) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("fake-aci", fixture.aci.certificate());
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, factory.getTrustManagers(), null);
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fixture.aci.endpoint() + resourceId
        + "?api-version=2023-05-01")).header("Authorization", "Bearer t").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
