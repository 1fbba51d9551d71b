package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.github.GitHubScope;
import io.oneshot.spi.OwnershipTags;
import org.junit.jupiter.api.Test;

class FleetOwnerTest {
  @Test
  void aRepositoryOwnerIsItsApiPathMadeTagSafe() {
    assertThat(FleetOwner.of(GitHubScope.parse("Octo-Org/App.js"))).isEqualTo("repos-octo-org-app-js");
  }

  @Test
  void anOrganizationAndAnEnterpriseGetTheirOwnPrefix() {
    assertThat(FleetOwner.of(GitHubScope.parse("octo"))).isEqualTo("orgs-octo");
    assertThat(FleetOwner.of(new GitHubScope.Enterprise("acme"))).isEqualTo("enterprises-acme");
  }

  @Test
  void itIsTheValueTheActionAlreadyTagsWith() {
    GitHubScope scope = GitHubScope.parse("octo-org/app");

    assertThat(FleetOwner.of(scope)).isEqualTo(OwnershipTags.safeValue(scope.apiPath()))
        .isEqualTo("repos-octo-org-app");
    assertThat(FleetRequest.ownerProblem(FleetOwner.of(scope))).isEmpty();
  }
}
