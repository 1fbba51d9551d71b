package io.oneshot.scaleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScaleSetClientTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(7).build();
  private FakeScaleSetService service;
  private final List<String> secrets = new ArrayList<>();

  private ScaleSetClient client(Duration hold) {
    github.addOrganization("octo");
    service = FakeScaleSetService.builder(github).seed(11).longPollHold(hold).build();
    GitHubClient rest = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(3)).build();
    return ScaleSetClient.builder().github(rest).clock(clock).sleeper(clock.sleeper()).random(new Random(5))
        .retryPolicy(RetryPolicy.defaults()).pollTimeout(Duration.ofSeconds(10)).onSecret(secrets::add).build();
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
    github.close();
  }

  private static ScaleSetSettings settings() {
    return new ScaleSetSettings("oneshot-linux", 1, List.of("linux", "ONESHOT-LINUX"));
  }

  @Test
  void exchangesOnceAndAgainOnlyShortlyBeforeTheAdminTokenExpires() {
    ScaleSetClient client = client(Duration.ZERO);
    ScaleSet created = client.getOrCreateScaleSet(settings());
    client.getScaleSet(created.id());
    assertThat(client.exchanges()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(58));
    client.getScaleSet(created.id());
    assertThat(client.exchanges()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(90)); // within the 60 s margin of the 1 h token
    client.getScaleSet(created.id());
    assertThat(client.exchanges()).isEqualTo(2);
    assertThat(service.callCount("runner-registration")).isEqualTo(2);
  }

  @Test
  void retriesAnExchangeThatGitHubRefusesAtFirst() {
    ScaleSetClient client = client(Duration.ZERO);
    service.failExchanges(2, 401);
    assertThat(client.getOrCreateScaleSet(settings()).name()).isEqualTo("oneshot-linux");
    assertThat(service.callCount("runner-registration")).isEqualTo(3);
  }

  @Test
  void getOrCreateIsIdempotentAndPutsTheNameFirst() {
    ScaleSetClient client = client(Duration.ZERO);
    ScaleSet first = client.getOrCreateScaleSet(settings());
    ScaleSet second = client.getOrCreateScaleSet(settings());
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(first.labels()).containsExactly("oneshot-linux", "linux");
    assertThat(service.callCount("create-scale-set")).isEqualTo(1);
    assertThat(service.callCount("update-scale-set")).isZero();

    ScaleSet updated = client.getOrCreateScaleSet(new ScaleSetSettings("oneshot-linux", 1, List.of("gpu")));
    assertThat(updated.id()).isEqualTo(first.id());
    assertThat(service.labels(first.id())).containsExactly("oneshot-linux", "gpu");
    assertThat(client.runnerGroupId("Default")).isEqualTo(1);
  }

  @Test
  void aSecondSessionGetsTheConflictAndTheFirstCanBeClosed() {
    ScaleSetClient client = client(Duration.ZERO);
    long id = client.getOrCreateScaleSet(settings()).id();
    ScaleSetSession session = client.createSession(id, "replica-a");
    assertThatThrownBy(() -> client.createSession(id, "replica-b"))
        .isInstanceOfSatisfying(SessionConflictException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.SESSION_CONFLICT);
          assertThat(e.getMessage()).contains("already has an active session");
        });
    session.close();
    session.close();
    try (ScaleSetSession taken = client.createSession(id, "replica-b")) {
      assertThat(service.sessionOwner(id)).contains("replica-b");
    }
  }

  @Test
  void pollAcknowledgeAndAcquireFollowTheCursor() {
    ScaleSetClient client = client(Duration.ZERO);
    long id = client.getOrCreateScaleSet(settings()).id();
    try (ScaleSetSession session = client.createSession(id, "me")) {
      assertThat(session.getMessage(0, 10)).isEmpty();
      long first = service.enqueueJob(id);
      long second = service.enqueueJob(id);

      ScaleSetMessage message = session.getMessage(0, 10).orElseThrow();
      assertThat(message.jobs(JobMessage.Type.JOB_AVAILABLE)).extracting(JobMessage::runnerRequestId)
          .containsExactly(first, second);
      assertThat(message.statistics().totalAvailableJobs()).isEqualTo(2);
      // Not acknowledged: delivered again from the start, nothing after it.
      assertThat(session.getMessage(0, 10)).map(ScaleSetMessage::messageId).contains(message.messageId());
      assertThat(session.getMessage(message.messageId(), 10)).isEmpty();

      service.cancelJob(second);
      assertThat(session.acquireJobs(List.of(first, second))).containsExactly(first);
      session.deleteMessage(message.messageId());
      assertThat(service.unacknowledgedMessages(id)).isEmpty();

      ScaleSetMessage next = session.getMessage(message.messageId(), 10).orElseThrow();
      assertThat(next.messageId()).isGreaterThan(message.messageId());
      assertThat(next.jobs()).extracting(JobMessage::type)
          .containsExactly(JobMessage.Type.JOB_COMPLETED, JobMessage.Type.JOB_ASSIGNED);
      assertThat(next.jobs().get(0).result()).isEqualTo("canceled");
      assertThat(next.statistics().totalAssignedJobs()).isEqualTo(1);
    }
  }

  @Test
  void aJitConfigBringsASimulatedRunnerOnlineThatRunsTheJob() {
    ScaleSetClient client = client(Duration.ZERO);
    long id = client.getOrCreateScaleSet(settings()).id();
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      session.acquireJobs(List.of(job));
      ScaleSetJitConfig jit = client.generateJitConfig(id, "oneshot-linux-r1", "");
      assertThat(jit.scaleSetId()).isEqualTo(id);
      assertThatThrownBy(() -> client.generateJitConfig(id, "oneshot-linux-r1", ""))
          .isInstanceOfSatisfying(ScaleSetException.class,
              e -> assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.RUNNER_EXISTS));

      SimulatedRunner runner = SimulatedRunner.fromJitConfig(github, jit.encodedJitConfig(), Duration.ZERO);
      assertThat(runner.isOnline()).isTrue();
      assertThat(runner.githubRunnerId()).hasValue(jit.runnerId());
      assertThat(service.runnerIds(id)).containsExactly(jit.runnerId());
      service.startJob(job, runner);
      service.completeJob(job, runner, "succeeded");
      assertThat(runner.exitCode()).contains(0);

      ScaleSetMessage message = session.getMessage(0, 10).orElseThrow();
      assertThat(message.jobs()).extracting(JobMessage::type).containsExactly(JobMessage.Type.JOB_AVAILABLE,
          JobMessage.Type.JOB_ASSIGNED, JobMessage.Type.JOB_STARTED, JobMessage.Type.JOB_COMPLETED);
      assertThat(message.jobs().get(2).runnerName()).isEqualTo("oneshot-linux-r1");
    }
  }

  @Test
  void aQueueTokenThatExpiresDuringTheLongPollIsRefreshedOnce() throws Exception {
    ScaleSetClient client = client(Duration.ofMillis(2_000));
    long id = client.getOrCreateScaleSet(settings()).id();
    try (ScaleSetSession session = client.createSession(id, "me")) {
      CompletableFuture<Optional<ScaleSetMessage>> poll =
          CompletableFuture.supplyAsync(() -> session.getMessage(0, 5));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (service.callCount("get-message") == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      service.expireQueueTokens(); // wakes the held poll, which now answers 401
      long job = service.enqueueJob(id);
      Optional<ScaleSetMessage> message = poll.get(5, TimeUnit.SECONDS);
      assertThat(message).isPresent();
      assertThat(message.get().jobs()).extracting(JobMessage::runnerRequestId).containsExactly(job);
      assertThat(service.callCount("refresh-session")).isEqualTo(1);
    }
  }

  @Test
  void anExpiredAdminTokenIsExchangedOnceAndTheCallRepeated() {
    ScaleSetClient client = client(Duration.ZERO);
    long id = client.getOrCreateScaleSet(settings()).id();
    service.expireAdminTokens();
    assertThat(client.getScaleSet(id).id()).isEqualTo(id);
    assertThat(client.exchanges()).isEqualTo(2);
  }

  @Test
  void throttlingIsRetriedAfterRetryAfterAndServiceErrorsAreTyped() {
    ScaleSetClient client = client(Duration.ZERO);
    long id = client.getOrCreateScaleSet(settings()).id();
    java.time.Instant before = clock.instant();
    service.failNext(1, 429, 7);
    assertThat(client.getScaleSet(id).id()).isEqualTo(id);
    assertThat(Duration.between(before, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(7));

    ScaleSetSession session = client.createSession(id, "me");
    service.evictSession(id);
    assertThatThrownBy(session::refresh).isInstanceOfSatisfying(ScaleSetException.class, e -> {
      assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.SESSION_NOT_FOUND);
      assertThat(e.retryable()).isFalse();
    });
    service.deleteScaleSet(id);
    assertThatThrownBy(() -> client.createSession(id, "me")).isInstanceOfSatisfying(ScaleSetException.class,
        e -> assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.SCALE_SET_NOT_FOUND));
  }

  @Test
  void noTokenOrJitConfigAppearsInMessagesOrToString() {
    ScaleSetClient client = client(Duration.ZERO);
    long id = client.getOrCreateScaleSet(settings()).id();
    ScaleSetSession session = client.createSession(id, "me");
    ScaleSetJitConfig jit = client.generateJitConfig(id, "r1", "");
    List<String> texts = new ArrayList<>(List.of(jit.toString(), session.toString(), client.toString()));
    for (Runnable failing : List.<Runnable>of(() -> client.createSession(id, "other"),
        () -> client.generateJitConfig(id, "r1", ""), () -> {
          service.expireQueueTokens();
          service.evictSession(id);
          session.getMessage(0, 1);
        })) {
      try {
        failing.run();
      } catch (RuntimeException e) {
        texts.add(e.toString());
      }
    }
    assertThat(texts).hasSizeGreaterThanOrEqualTo(6);
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(3).allSatisfy(secret ->
        assertThat(texts).noneMatch(text -> text.contains(secret)));
    assertThat(service.issuedSecretKinds().keySet()).allSatisfy(secret ->
        assertThat(texts).noneMatch(text -> text.contains(secret)));
  }
}
