package io.oneshot.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain http:// carries the token and runner configs in clear text: only loopback may use it. */
class GitHubApiUrlTest {
  @ParameterizedTest
  @ValueSource(strings = {"http://ghe.example.com/api/v3", "http://api.github.com", "http://10.0.0.7:8080",
      "http://127.example.com", "http://localhost.evil.com", "http://[::2]:80", "http://128.0.0.1"})
  void httpToAnyOtherHostIsRefusedNamingTheInput(String url) {
    assertThatThrownBy(() -> GitHubClient.builder().apiUrl(URI.create(url)))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("github-api-url '" + url + "' uses http://")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.1.2.3/api/v3", "http://localhost:3000",
      "http://LOCALHOST", "http://[::1]:9000", "http://[0:0:0:0:0:0:0:1]", "https://ghe.example.com/api/v3",
      "HTTPS://api.github.com"})
  void httpsAnywhereAndHttpOnLoopbackAreAccepted(String url) {
    assertThat(GitHubClient.builder().apiUrl(URI.create(url))).isNotNull();
  }
}
