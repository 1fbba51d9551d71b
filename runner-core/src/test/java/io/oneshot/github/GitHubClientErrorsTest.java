package io.oneshot.github;

import static io.oneshot.github.GitHubFixture.ENTERPRISE;
import static io.oneshot.github.GitHubFixture.ORG;
import static io.oneshot.github.GitHubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 401, 403 and 404 fail at once and say which credential, scope or permission is probably missing. */
class GitHubClientErrorsTest {
  private final GitHubFixture fixture = new GitHubFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void badCredentialsFailAtOnce() {
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token("ghp_notissuedbythefake000000000000000000")).build();

    assertThatThrownBy(client::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.retryable()).isFalse();
          assertThat(e.requestId()).isPresent();
        })
        .hasMessageContaining("rejected the credentials")
        .hasMessageNotContaining("ghp_notissued");
    assertThat(fixture.github.callCount()).isEqualTo(1);
  }

  @Test
  void aTokenWithoutAccessToTheRepositoryNamesTheRepositoryPermission() {
    fixture.github.addRepository("octo/other");
    String narrow = fixture.github.issueToken("repos/octo/other");
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(narrow)).build();

    assertThatThrownBy(client::createRegistrationToken)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("registration-token on repository octo/app failed with 403")
        .hasMessageContaining("Administration: read and write");
    assertThat(fixture.github.callCount()).isEqualTo(1);
  }

  @Test
  void anOrganizationScopeNamesTheOrganizationPermission() {
    String narrow = fixture.github.issueToken(REPO);
    GitHubClient client = fixture.clientBuilder(ORG, GitHubCredentials.token(narrow)).build();

    assertThatThrownBy(client::listRunners).hasMessageContaining("admin:org")
        .hasMessageContaining("Self-hosted runners: read and write");
  }

  @Test
  void anEnterpriseScopeNamesManageRunners() {
    String narrow = fixture.github.issueToken(REPO);
    GitHubClient client = fixture.clientBuilder(ENTERPRISE, GitHubCredentials.token(narrow)).build();

    assertThatThrownBy(client::listRunners).hasMessageContaining("manage_runners:enterprise");
  }

  @Test
  void anUnknownRepositoryIsA404ThatSaysSo() {
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .scope(new GitHubScope.Repository("octo", "missing")).build();

    assertThatThrownBy(client::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("repository octo/missing was not found or is not visible to this credential");
    assertThat(fixture.github.callCount()).isEqualTo(1);
  }

  @Test
  void aMissingRunnerIsEmptyNotAnError() {
    assertThat(fixture.client(REPO).getRunner(987654)).isEmpty();
  }
}
