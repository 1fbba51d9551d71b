package io.oneshot.github;

import static io.oneshot.github.GitHubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.fakes.github.FakeGitHubApp;
import io.oneshot.spi.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client under the faults GitHub produces (issue 12's fault matrix, GitHub side): retry-after as
 * an HTTP-date, a 403 "abuse" secondary limit, a revoked installation token, no lock held while a
 * thread waits out a limit, and no wait past the caller's deadline. All on the injected clock.
 */
class GitHubClientFaultsTest {
  private static final String LIST_REPO = "actions/list-self-hosted-runners-for-repo";
  private static final String MINT = "apps/create-installation-access-token";

  private final GitHubFixture fixture = new GitHubFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void retryAfterGivenAsAnHttpDateIsHonoured() {
    Instant before = fixture.clock.instant();
    fixture.github.faults().secondaryRateLimitUntilNext(LIST_REPO, before.plusSeconds(90));

    assertThat(fixture.client(REPO).listRunners()).isEmpty();

    assertThat(Duration.between(before, fixture.clock.instant())).isBetween(Duration.ofSeconds(89),
        Duration.ofSeconds(91));
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(2);
  }

  @Test
  void anAbuseDetectionAnswerIsASecondaryLimitWaitedOutForAtLeastAMinute() {
    fixture.github.faults().abuseDetectionNext(LIST_REPO, 1);
    Instant before = fixture.clock.instant();

    assertThat(fixture.client(REPO).listRunners()).isEmpty();

    assertThat(Duration.between(before, fixture.clock.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(2);
  }

  @Test
  void aSecondaryLimitPastTheDeadlineFailsFastAndRetryableInsteadOfSleeping() {
    Instant before = fixture.clock.instant();
    fixture.github.faults().secondaryRateLimitNext(LIST_REPO, 120);
    GitHubClient bound = fixture.client(REPO).withDeadline(before.plusSeconds(30));

    assertThatThrownBy(bound::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.rateLimited()).isTrue();
          assertThat(e.status()).isEqualTo(403);
        })
        .hasMessageContaining("deadline");
    assertThat(fixture.clock.instant()).isBeforeOrEqualTo(before.plusSeconds(30));
  }

  @Test
  void anAbuseAnswerPastTheDeadlineIsNotAPermissionProblem() {
    Instant before = fixture.clock.instant();
    fixture.github.faults().abuseDetectionNext(LIST_REPO, 1);

    assertThatThrownBy(() -> fixture.client(REPO).withDeadline(before.plusSeconds(20)).listRunners())
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.rateLimited()).isTrue())
        .hasMessageNotContaining("permission");
    assertThat(fixture.clock.instant()).isBeforeOrEqualTo(before.plusSeconds(20));
  }

  @Test
  void serverErrorsAreRetriedOnlyUntilTheDeadline() {
    Instant before = fixture.clock.instant();
    fixture.github.faults().failNext(LIST_REPO, 503, 20);
    GitHubClient bound = fixture.clientBuilder(REPO, GitHubCredentials.token(fixture.token))
        .retryPolicy(new RetryPolicy(20, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(30)))
        .build().withDeadline(before.plusSeconds(10));

    assertThatThrownBy(bound::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(fixture.clock.instant()).isBeforeOrEqualTo(before.plusSeconds(10));
  }

  @Test
  void aCallAfterTheDeadlineIsNotSent() {
    GitHubClient bound = fixture.client(REPO).withDeadline(fixture.clock.instant().minusSeconds(1));

    assertThatThrownBy(bound::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(fixture.github.callCount(LIST_REPO)).isZero();
  }

  @Test
  void theDeadlineViewSharesTheClientAndLeavesItUnbound() {
    GitHubClient client = fixture.client(REPO);
    GitHubClient bound = client.withDeadline(fixture.clock.instant().plusSeconds(5));

    assertThat(client.deadline()).isEmpty();
    assertThat(bound.deadline()).isPresent();
    bound.listRunners();
    assertThat(client.lastRateLimit()).isPresent();
  }

  @Test
  void aRevokedInstallationTokenIsMintedAgainOnceAndTheCallRetried() {
    FakeGitHubApp app = fixture.github.createApp();
    fixture.github.install(app, REPO);
    GitHubClient client = appClient(app, fixture.clock.sleeper());
    client.listRunners();

    assertThat(fixture.github.revokeInstallationTokens()).isEqualTo(1);
    assertThat(client.listRunners()).isEmpty();

    assertThat(fixture.github.callCount(MINT)).isEqualTo(2);
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(3);
  }

  @Test
  void aSecond401AfterMintingAgainSurfaces() {
    FakeGitHubApp app = fixture.github.createApp();
    fixture.github.install(app, REPO);
    GitHubClient client = appClient(app, fixture.clock.sleeper());
    client.listRunners();
    fixture.github.faults().failNext(LIST_REPO, 401, 2);

    assertThatThrownBy(client::listRunners)
        .isInstanceOfSatisfying(GitHubApiException.class, e -> assertThat(e.status()).isEqualTo(401));

    assertThat(fixture.github.callCount(MINT)).isEqualTo(2);
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(3);
  }

  @Test
  void aTokenCredentialIsNotRetriedOn401() {
    fixture.github.faults().failNext(LIST_REPO, 401, 1);

    assertThatThrownBy(fixture.client(REPO)::listRunners).isInstanceOf(GitHubApiException.class);
    assertThat(fixture.github.callCount(LIST_REPO)).isEqualTo(1);
  }

  @Test
  void aThreadWaitingOutARateLimitedMintDoesNotBlockAnotherThreadsCalls() throws Exception {
    FakeGitHubApp app = fixture.github.createApp();
    fixture.github.install(app, REPO);
    CountDownLatch sleeping = new CountDownLatch(1);
    CountDownLatch wake = new CountDownLatch(1);
    AtomicReference<Thread> slowThread = new AtomicReference<>();
    Sleeper sleeper = duration -> {
      if (Thread.currentThread() == slowThread.get()) {
        sleeping.countDown();
        if (!wake.await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("never woken");
        }
      }
      fixture.clock.advance(duration);
    };
    GitHubClient client = appClient(app, sleeper);
    client.listRunners(); // the first token, valid one hour
    // Inside the refresh margin but still valid: the next call refreshes, and GitHub rate-limits the mint.
    fixture.clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    fixture.github.faults().secondaryRateLimitNext(MINT, 20);

    CompletableFuture<List<Runner>> slow = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        slow.complete(client.listRunners());
      } catch (Throwable e) {
        slow.completeExceptionally(e);
      }
    }, "slow-caller");
    slowThread.set(thread);
    thread.start();
    assertThat(sleeping.await(30, TimeUnit.SECONDS)).as("the slow thread waits out the limit").isTrue();

    try {
      List<Runner> fast = CompletableFuture.supplyAsync(client::listRunners).get(10, TimeUnit.SECONDS);
      assertThat(fast).isEmpty();
      assertThat(fixture.github.callCount(MINT)).isEqualTo(2);
    } finally {
      wake.countDown();
    }
    assertThat(slow.get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(fixture.github.callCount(MINT)).isEqualTo(3);
  }

  private GitHubClient appClient(FakeGitHubApp app, Sleeper sleeper) {
    return fixture.clientBuilder(REPO, GitHubCredentials.app(app.appId(), app.privateKeyPkcs8Pem(),
        OptionalLong.empty())).sleeper(sleeper).build();
  }
}
