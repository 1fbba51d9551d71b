package io.oneshot.github;

import static io.oneshot.github.GitHubFixture.ENTERPRISE;
import static io.oneshot.github.GitHubFixture.ORG;
import static io.oneshot.github.GitHubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.fakes.github.FakeGitHubApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GitHub App auth end to end: the fake verifies every JWT against the App's public key. */
class GitHubAppAuthTest {
  private static final String MINT = "apps/create-installation-access-token";

  private final GitHubFixture fixture = new GitHubFixture();
  private final FakeGitHubApp app = fixture.github.createApp();

  @AfterEach
  void close() {
    fixture.close();
  }

  private GitHubClient appClient(String scopeKey, String pem, OptionalLong installation) {
    return fixture.clientBuilder(scopeKey, GitHubCredentials.app(app.appId(), pem, installation)).build();
  }

  @Test
  void aPkcs1KeyFindsTheRepositoryInstallationAndMintsAToken() {
    fixture.github.install(app, REPO);

    JitRunner jit = appClient(REPO, app.privateKeyPkcs1Pem(), OptionalLong.empty())
        .generateJitConfig(new JitConfigRequest("dev-hhhh8888", 1, List.of("self-hosted"), "_work"));

    assertThat(jit.runner().name()).isEqualTo("dev-hhhh8888");
    assertThat(fixture.github.callCount("apps/get-repo-installation")).isEqualTo(1);
    assertThat(fixture.github.callCount(MINT)).isEqualTo(1);
  }

  @Test
  void aPkcs8KeyWithAGivenInstallationSkipsTheLookup() {
    long installation = fixture.github.install(app, ORG);

    appClient(ORG, app.privateKeyPkcs8Pem(), OptionalLong.of(installation)).listRunners();

    assertThat(fixture.github.callCount("apps/get-org-installation")).isZero();
    assertThat(fixture.github.callCount(MINT)).isEqualTo(1);
  }

  @Test
  void theJwtIsBackdatedShortLivedAndUnique() {
    fixture.github.install(app, ORG);
    Instant now = fixture.clock.instant();

    appClient(ORG, app.privateKeyPkcs1Pem(), OptionalLong.empty()).listRunners();

    List<JWTClaimsSet> jwts = fixture.github.receivedAppJwts();
    assertThat(jwts).hasSize(2);
    for (JWTClaimsSet claims : jwts) {
      assertThat(claims.getIssuer()).isEqualTo(Long.toString(app.appId()));
      assertThat(claims.getIssueTime().toInstant()).isEqualTo(now.minusSeconds(60));
      assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
          .isLessThanOrEqualTo(Duration.ofMinutes(10));
    }
    assertThat(jwts.get(0).getJWTID()).isNotBlank().isNotEqualTo(jwts.get(1).getJWTID());
  }

  @Test
  void theInstallationTokenIsCachedUntilAMinuteBeforeItExpires() {
    fixture.github.install(app, ORG);
    GitHubClient client = appClient(ORG, app.privateKeyPkcs1Pem(), OptionalLong.empty());

    client.listRunners();
    fixture.clock.advance(Duration.ofMinutes(58));
    client.listRunners();
    assertThat(fixture.github.callCount(MINT)).isEqualTo(1);

    fixture.clock.advance(Duration.ofSeconds(61));
    client.listRunners();
    assertThat(fixture.github.callCount(MINT)).isEqualTo(2);
    assertThat(fixture.github.callCount("apps/get-org-installation")).as("installation looked up once").isEqualTo(1);
  }

  @Test
  void anAppNotInstalledThereSaysSo() {
    assertThatThrownBy(() -> appClient(REPO, app.privateKeyPkcs1Pem(), OptionalLong.empty()).listRunners())
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("not installed on repository octo/app");
  }

  @Test
  void anotherAppsKeyIsRejected() {
    fixture.github.install(app, ORG);
    FakeGitHubApp other = fixture.github.createApp();
    GitHubClient client = fixture.clientBuilder(ORG,
        GitHubCredentials.app(app.appId(), other.privateKeyPkcs1Pem(), OptionalLong.empty())).build();

    assertThatThrownBy(client::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("app-id and app-private-key do not belong together");
  }

  @Test
  void appsCannotManageEnterpriseRunners() {
    assertThatThrownBy(() -> appClient(ENTERPRISE, app.privateKeyPkcs1Pem(), OptionalLong.empty()))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("GitHub Apps cannot manage enterprise runners");
  }

  @Test
  void credentialsNeverShowTheKey() {
    GitHubCredentials credentials = GitHubCredentials.app(app.appId(), app.privateKeyPkcs1Pem(), OptionalLong.empty());

    assertThat(credentials.toString()).doesNotContain("PRIVATE").contains(Long.toString(app.appId()));
    assertThat(GitHubCredentials.token(fixture.token).toString()).doesNotContain(fixture.token);
  }
}
