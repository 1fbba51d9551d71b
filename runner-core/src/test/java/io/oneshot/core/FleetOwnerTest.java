package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.github.GitHubScope;
import io.oneshot.spi.OwnershipTags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FleetOwnerTest {
  private final FakeGitHub github = FakeGitHub.builder().clock(TestClock.atEpochOfTests()).build();

  @AfterEach
  void close() {
    github.close();
  }

  private InMemoryLauncher launcher(String scopeKey) {
    return new InMemoryLauncher(github).inScope(scopeKey);
  }

  @Test
  void theIdentityIsTheGitHubScopeAndTheLaunchersScope() {
    assertThat(FleetOwner.identity(GitHubScope.parse("octo-org/app"), launcher("ecs/us-east-1/runners")))
        .isEqualTo("repos/octo-org/app@ecs/us-east-1/runners");
    assertThat(FleetOwner.identity(GitHubScope.parse("octo"), launcher("aci/sub/rg"))).isEqualTo("orgs/octo@aci/sub/rg");
  }

  @Test
  void theOwnerIsTheIdentityMadeTagSafeWithAHashOfIt() {
    String owner = FleetOwner.of(GitHubScope.parse("Octo-Org/App.js"), launcher("ecs/us-east-1/runners"));

    assertThat(owner).matches("repos-octo-org-app-js-ecs-us-east-1-runners-[0-9a-f]{10}");
    assertThat(FleetRequest.ownerProblem(owner)).isEmpty();
  }

  @Test
  void anotherClusterRegionOrBackendIsAnotherOwner() {
    GitHubScope scope = GitHubScope.parse("octo/app");

    assertThat(FleetOwner.of(scope, launcher("ecs/us-east-1/blue")))
        .isNotEqualTo(FleetOwner.of(scope, launcher("ecs/us-east-1/green")))
        .isNotEqualTo(FleetOwner.of(scope, launcher("ecs/eu-west-1/blue")))
        .isNotEqualTo(FleetOwner.of(scope, launcher("aci/sub/blue")));
  }

  @Test
  void scopesThatNormaliseAlikeAreDifferentOwners() {
    InMemoryLauncher cluster = launcher("ecs/us-east-1/runners");

    assertThat(FleetOwner.of(GitHubScope.parse("octo/a.b"), cluster))
        .isNotEqualTo(FleetOwner.of(GitHubScope.parse("octo/a-b"), cluster));
    assertThat(FleetOwner.of(GitHubScope.parse("octo/a_b"), launcher("ecs/us-east-1/x.y")))
        .isNotEqualTo(FleetOwner.of(GitHubScope.parse("octo/a_b"), launcher("ecs/us-east-1/x-y")));
  }

  @Test
  @SuppressWarnings("deprecation")
  void theScopeOnlyOwnerOfTheFirstVersionsIsKeptForOldCallers() {
    GitHubScope scope = GitHubScope.parse("octo-org/app");

    assertThat(FleetOwner.of(scope)).isEqualTo(OwnershipTags.safeValue(scope.apiPath())).isEqualTo("repos-octo-org-app");
  }
}
