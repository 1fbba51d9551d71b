package io.oneshot.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class GitHubClientServerUrlTest {
  @Test
  void githubDotComApiMapsToGithubDotCom() {
    assertThat(GitHubClient.serverUrlFor(URI.create("https://api.github.com"))).hasToString("https://github.com");
  }

  @Test
  void enterpriseServerApiDropsApiV3() {
    assertThat(GitHubClient.serverUrlFor(URI.create("https://ghe.example.com/api/v3/")))
        .hasToString("https://ghe.example.com");
  }

  @Test
  void dataResidencyTenantDropsTheApiHostPrefix() {
    assertThat(GitHubClient.serverUrlFor(URI.create("https://api.octo.ghe.com"))).hasToString("https://octo.ghe.com");
  }
}
