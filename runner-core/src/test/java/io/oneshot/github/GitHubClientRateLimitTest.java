package io.oneshot.github;

import static io.oneshot.github.GitHubFixture.ORG;
import static io.oneshot.github.GitHubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GitHub's retry rules, one by one, on the injected clock: nothing here waits for real. */
class GitHubClientRateLimitTest {
  private static final String LIST_REPO = "actions/list-self-hosted-runners-for-repo";
  private static final String JIT_ORG = "actions/generate-runner-jitconfig-for-org";

  private final GitHubFixture fixture = new GitHubFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void honoursRetryAfterOnASecondaryLimit() {
    fixture.github.faults().secondaryRateLimitNext(LIST_REPO, 42);
    Instant before = fixture.clock.instant();

    assertThat(fixture.client(REPO).listRunners()).isEmpty();

    assertThat(Duration.between(before, fixture.clock.instant())).isEqualTo(Duration.ofSeconds(42));
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(2);
  }

  @Test
  void waitsForTheResetWhenTheBudgetIsSpent() {
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .retryPolicy(new RetryPolicy(6, Duration.ofHours(2), Duration.ofMillis(500), Duration.ofSeconds(30)))
        .build();
    client.listRunners();
    Instant reset = client.lastRateLimit().orElseThrow().reset();
    fixture.github.faults().exhaustBudget(fixture.token);

    assertThat(client.listRunners()).isEmpty();

    assertThat(fixture.clock.instant()).isAfterOrEqualTo(reset);
    assertThat(client.lastRateLimit().orElseThrow().remaining()).isGreaterThan(0);
  }

  @Test
  void doesNotWaitPastItsBudgetForAFarReset() {
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .retryPolicy(new RetryPolicy(6, Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(30)))
        .build();
    client.listRunners();
    fixture.github.faults().exhaustBudget(fixture.token);
    Instant before = fixture.clock.instant();

    assertThatThrownBy(client::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> {
          assertThat(e.rateLimited()).isTrue();
          assertThat(e.retryable()).isTrue();
          assertThat(e.status()).isEqualTo(403);
        })
        .hasMessageContaining("rate limit");
    assertThat(Duration.between(before, fixture.clock.instant())).isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void afterASpentBudgetTheNextCallWaitsBeforeSending() {
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .retryPolicy(new RetryPolicy(1, Duration.ofHours(2), Duration.ofMillis(500), Duration.ofSeconds(30)))
        .build();
    client.listRunners();
    fixture.github.faults().exhaustBudget(fixture.token);
    assertThatThrownBy(client::listRunners).isInstanceOf(GitHubApiException.class);
    Instant reset = client.lastRateLimit().orElseThrow().reset();
    assertThat(client.lastRateLimit().orElseThrow().remaining()).isZero();
    int callsSoFar = fixture.github.callCount(LIST_REPO);

    assertThat(client.listRunners()).isEmpty();

    assertThat(fixture.github.callCount(LIST_REPO)).as("no call wasted on a known-spent budget")
        .isEqualTo(callsSoFar + 1);
    assertThat(fixture.clock.instant()).isAfter(reset);
  }

  @Test
  void backsOffWithJitterOnServerErrors() {
    fixture.github.faults().failNext(JIT_ORG, 502, 1).failNext(JIT_ORG, 503, 1);
    Instant before = fixture.clock.instant();

    JitRunner jit = fixture.client(ORG).generateJitConfig(
        new JitConfigRequest("dev-ffff6666", 1, List.of("self-hosted"), "_work"));

    assertThat(jit.runner().name()).isEqualTo("dev-ffff6666");
    assertThat(fixture.github.callCount(JIT_ORG)).isEqualTo(3);
    Duration waited = Duration.between(before, fixture.clock.instant());
    // attempt 1 waits 250..500 ms, attempt 2 waits 500..1000 ms
    assertThat(waited).isBetween(Duration.ofMillis(750), Duration.ofMillis(1500));
  }

  @Test
  void retriesAConnectionReset() {
    fixture.github.faults().resetNextConnections(JIT_ORG, 1);

    JitRunner jit = fixture.client(ORG).generateJitConfig(
        new JitConfigRequest("dev-gggg7777", 1, List.of("self-hosted"), "_work"));

    assertThat(fixture.github.runners(ORG)).extracting(r -> r.id()).containsExactly(jit.runner().id());
  }

  @Test
  void capsTheAttempts() {
    fixture.github.faults().failNext(LIST_REPO, 503, 10);
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .retryPolicy(new RetryPolicy(3, Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofSeconds(30)))
        .build();

    assertThatThrownBy(client::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.retryable()).isTrue();
          assertThat(e.rateLimited()).isFalse();
        })
        .hasMessageContaining("after 3 attempt(s)");
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(3);
  }

  @Test
  void capsTheTotalWait() {
    fixture.github.faults().failNext(LIST_REPO, 500, 10);
    GitHubClient client = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .retryPolicy(new RetryPolicy(10, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30)))
        .build();
    Instant before = fixture.clock.instant();

    assertThatThrownBy(client::listRunners).isInstanceOf(GitHubApiException.class);

    assertThat(Duration.between(before, fixture.clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(fixture.github.callCount(LIST_REPO)).isLessThan(10);
  }

  @Test
  void aSecondaryLimitWithoutRetryAfterWaitsAtLeastAMinute() {
    fixture.github.faults().failNext(LIST_REPO, 429, 1);
    Instant before = fixture.clock.instant();

    fixture.client(REPO).listRunners();

    assertThat(Duration.between(before, fixture.clock.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
  }
}
