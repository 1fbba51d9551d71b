package io.oneshot.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GitHubScopeTest {
  @Test
  void ownerSlashRepoIsARepository() {
    GitHubScope scope = GitHubScope.parse("octo-org/my.repo_1");

    assertThat(scope).isEqualTo(new GitHubScope.Repository("octo-org", "my.repo_1"));
    assertThat(scope.apiPath()).isEqualTo("repos/octo-org/my.repo_1");
    assertThat(scope.registrationUrl(URI.create("https://github.com/"))).hasToString("https://github.com/octo-org/my.repo_1");
  }

  @Test
  void ownerAloneIsAnOrganization() {
    GitHubScope scope = GitHubScope.parse("octo-org");

    assertThat(scope.apiPath()).isEqualTo("orgs/octo-org");
    assertThat(scope.registrationUrl(URI.create("https://ghe.example.com"))).hasToString("https://ghe.example.com/octo-org");
  }

  @Test
  void enterpriseRegistersUnderEnterprises() {
    GitHubScope scope = new GitHubScope.Enterprise("acme");

    assertThat(scope.apiPath()).isEqualTo("enterprises/acme");
    assertThat(scope.registrationUrl(URI.create("https://github.com"))).hasToString("https://github.com/enterprises/acme");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b/c", "-octo", "octo-", "octo--org/x", "octo/", "/repo", "octo/re po", "octo/..",
      "oooooooooooooooooooooooooooooooooooooooo"})
  void malformedContextsNameTheInputAndTheForms(String context) {
    assertThatThrownBy(() -> GitHubScope.parse(context))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("context '")
        .hasMessageContaining("owner/repo");
  }
}
