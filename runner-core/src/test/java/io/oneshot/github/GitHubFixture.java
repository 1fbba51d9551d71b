package io.oneshot.github;

import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import java.util.Random;

/** A fake GitHub with a repository, an organization and an enterprise, and clients for it. */
final class GitHubFixture implements AutoCloseable {
  static final String REPO = "repos/octo/app";
  static final String ORG = "orgs/octo";
  static final String ENTERPRISE = "enterprises/acme";

  final TestClock clock = TestClock.atEpochOfTests();
  final FakeGitHub github;
  final String token;

  GitHubFixture() {
    this("");
  }

  GitHubFixture(String apiPathPrefix) {
    github = FakeGitHub.builder().clock(clock).seed(42).apiPathPrefix(apiPathPrefix).build();
    github.addOrganization("octo");
    github.addRepository("octo/app");
    github.addEnterprise("acme");
    token = github.issueToken();
  }

  static GitHubScope scope(String key) {
    return switch (key) {
      case REPO -> new GitHubScope.Repository("octo", "app");
      case ORG -> new GitHubScope.Organization("octo");
      case ENTERPRISE -> new GitHubScope.Enterprise("acme");
      default -> throw new IllegalArgumentException(key);
    };
  }

  GitHubClient.Builder clientBuilder(String scopeKey, GitHubCredentials credentials) {
    return GitHubClient.builder()
        .apiUrl(github.apiUrl())
        .scope(scope(scopeKey))
        .credentials(credentials)
        .clock(clock)
        .sleeper(clock.sleeper())
        .random(new Random(3));
  }

  GitHubClient client(String scopeKey) {
    return clientBuilder(scopeKey, GitHubCredentials.token(token)).build();
  }

  @Override
  public void close() {
    github.close();
  }
}
