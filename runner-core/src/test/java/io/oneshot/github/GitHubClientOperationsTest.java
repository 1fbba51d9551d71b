package io.oneshot.github;

import static io.oneshot.github.GitHubFixture.ENTERPRISE;
import static io.oneshot.github.GitHubFixture.ORG;
import static io.oneshot.github.GitHubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.fakes.github.JitConfigs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every client operation at every scope, over real HTTP against the contract-checking fake. */
class GitHubClientOperationsTest {
  private final GitHubFixture fixture = new GitHubFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static JitConfigRequest jit(String name) {
    return new JitConfigRequest(name, 1, List.of("self-hosted", "Linux", "X64", "ephemeral", "dev"), "_work");
  }

  @ParameterizedTest
  @ValueSource(strings = {REPO, ORG, ENTERPRISE})
  void generatesAJitConfigThatIdentifiesTheRunner(String scopeKey) {
    JitRunner jit = fixture.client(scopeKey).generateJitConfig(jit("dev-aaaa1111"));

    assertThat(jit.runner().name()).isEqualTo("dev-aaaa1111");
    assertThat(jit.runner().isOnline()).isFalse();
    assertThat(jit.runner().labels()).contains("self-hosted", "Linux", "X64", "ephemeral", "dev");
    assertThat(JitConfigs.decode(jit.encodedJitConfig()).runnerId()).isEqualTo(jit.runner().id());
    assertThat(fixture.github.runners(scopeKey)).extracting(r -> r.name()).containsExactly("dev-aaaa1111");
    assertThat(jit.toString()).doesNotContain(jit.encodedJitConfig());
  }

  @ParameterizedTest
  @ValueSource(strings = {REPO, ORG, ENTERPRISE})
  void createsRegistrationAndRemoveTokensValidForAnHour(String scopeKey) {
    GitHubClient client = fixture.client(scopeKey);

    AuthenticationToken registration = client.createRegistrationToken();
    AuthenticationToken remove = client.createRemoveToken();

    assertThat(registration.expiresAt()).isEqualTo(fixture.clock.instant().plus(Duration.ofHours(1)));
    assertThat(remove.token()).isNotEqualTo(registration.token());
    assertThat(fixture.github.scopeOfRegistrationToken(registration.token())).contains(scopeKey);
    assertThat(registration.toString()).doesNotContain(registration.token());
  }

  @ParameterizedTest
  @ValueSource(strings = {REPO, ORG, ENTERPRISE})
  void listsGetsAndDeletesRunners(String scopeKey) {
    GitHubClient client = fixture.client(scopeKey);
    JitRunner first = client.generateJitConfig(jit("dev-aaaa1111"));
    client.generateJitConfig(jit("dev-bbbb2222"));
    fixture.github.connectJit(first.encodedJitConfig());

    assertThat(client.listRunners()).extracting(Runner::name).containsExactlyInAnyOrder("dev-aaaa1111", "dev-bbbb2222");
    assertThat(client.listRunnersNamed("dev-bbbb2222")).extracting(Runner::name).containsExactly("dev-bbbb2222");
    assertThat(client.getRunner(first.runner().id())).get().extracting(Runner::isOnline).isEqualTo(true);
    assertThat(client.deleteRunner(first.runner().id())).isEqualTo(DeleteOutcome.DELETED);
    assertThat(client.getRunner(first.runner().id())).isEmpty();
    assertThat(client.deleteRunner(first.runner().id())).isEqualTo(DeleteOutcome.ALREADY_GONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {REPO, ORG, ENTERPRISE})
  void deletingABusyRunnerIsReportedNotRaised(String scopeKey) {
    GitHubClient client = fixture.client(scopeKey);
    JitRunner jit = client.generateJitConfig(jit("dev-cccc3333"));
    fixture.github.connectJit(jit.encodedJitConfig());
    fixture.github.startJob(scopeKey, jit.runner().id());

    assertThat(client.deleteRunner(jit.runner().id())).isEqualTo(DeleteOutcome.BUSY);
    assertThat(fixture.github.runner(scopeKey, jit.runner().id())).isPresent();
  }

  @Test
  void listsEveryPage() {
    GitHubClient client = fixture.client(ORG);
    IntStream.range(0, 230).forEach(i -> client.generateJitConfig(jit(String.format("dev-%08d", i))));

    List<Runner> runners = client.listRunners();

    assertThat(runners).hasSize(230);
    assertThat(runners.stream().map(Runner::name).distinct()).hasSize(230);
    assertThat(fixture.github.callCount("actions/list-self-hosted-runners-for-org")).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {ORG, ENTERPRISE})
  void resolvesARunnerGroupNameOncePerClient(String scopeKey) {
    long id = fixture.github.addRunnerGroup(scopeKey, "private-net");
    GitHubClient client = fixture.client(scopeKey);
    String operation = scopeKey.equals(ORG) ? "actions/list-self-hosted-runner-groups-for-org"
        : "enterprise-admin/list-self-hosted-runner-groups-for-enterprise";

    assertThat(client.runnerGroupId("Private-Net")).isEqualTo(id);
    assertThat(client.runnerGroupId("private-net")).isEqualTo(id);
    assertThat(client.runnerGroupId("Default")).isEqualTo(1);
    assertThat(fixture.github.callCount(operation)).isEqualTo(2);
    assertThat(client.listRunnerGroups()).extracting(RunnerGroup::name).contains("Default", "private-net");
  }

  @Test
  void aRepositoryUsesTheDefaultGroupWithoutACall() {
    GitHubClient client = fixture.client(REPO);

    assertThat(client.runnerGroupId("Default")).isEqualTo(1);
    assertThat(fixture.github.callCount()).isZero();
    assertThatThrownBy(() -> client.runnerGroupId("private-net"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("runner-group 'private-net' does not exist in repository octo/app")
        .hasMessageContaining("Default");
  }

  @Test
  void anUnknownGroupListsTheGroupsFound() {
    fixture.github.addRunnerGroup(ORG, "private-net");

    assertThatThrownBy(() -> fixture.client(ORG).runnerGroupId("nope"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessage("runner-group 'nope' does not exist in organization octo; groups found: Default, private-net");
  }

  @Test
  void aDuplicateJitNameIsA409() {
    GitHubClient client = fixture.client(REPO);
    client.generateJitConfig(jit("dev-dddd4444"));

    assertThatThrownBy(() -> client.generateJitConfig(jit("dev-dddd4444")))
        .isInstanceOfSatisfying(GitHubApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.requestId()).isPresent();
          assertThat(e.rateLimited()).isFalse();
        })
        .hasMessageContaining("Already exists");
  }

  @Test
  void worksAgainstGitHubEnterpriseServerPaths() {
    try (GitHubFixture ghes = new GitHubFixture("/api/v3")) {
      GitHubClient client = ghes.client(ORG);

      JitRunner jit = client.generateJitConfig(jit("dev-eeee5555"));

      assertThat(ghes.github.apiUrl().getPath()).isEqualTo("/api/v3");
      assertThat(client.listRunners()).extracting(Runner::id).containsExactly(jit.runner().id());
      assertThat(client.registrationUrl()).isEqualTo(URI.create(
          ghes.github.apiUrl().toString().replace("/api/v3", "") + "/octo"));
    }
  }

  @Test
  void reportsTheLastRateLimitBudget() {
    GitHubClient client = fixture.client(REPO);
    assertThat(client.lastRateLimit()).isEmpty();

    client.listRunners();
    client.listRunners();

    RateLimitBudget budget = client.lastRateLimit().orElseThrow();
    assertThat(budget.limit()).isEqualTo(5000);
    assertThat(budget.remaining()).isEqualTo(4998);
    assertThat(budget.reset()).isAfter(fixture.clock.instant());
  }

  @Test
  void sendsTheDocumentedHeadersOnly() {
    fixture.client(REPO).listRunners();

    assertThat(fixture.github.rejectedRequests()).isEmpty();
    assertThat(fixture.github.calls()).extracting(c -> c.status()).containsExactly(200);
    assertThat(Set.copyOf(fixture.github.contractViolations())).isEmpty();
  }
}
