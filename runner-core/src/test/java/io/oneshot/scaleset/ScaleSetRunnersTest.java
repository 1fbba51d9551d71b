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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner endpoints of {@link ScaleSetClient}, against the fake scale-set service. */
class ScaleSetRunnersTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(7).build();
  private final List<String> secrets = new ArrayList<>();
  private FakeScaleSetService service;

  private ScaleSetClient client(RetryPolicy policy) {
    github.addOrganization("octo");
    service = FakeScaleSetService.builder(github).seed(11).build();
    GitHubClient rest = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(3)).build();
    return ScaleSetClient.builder().github(rest).clock(clock).sleeper(clock.sleeper()).random(new Random(5))
        .retryPolicy(policy).onSecret(secrets::add).build();
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
    github.close();
  }

  private static ScaleSetSettings settings(String name) {
    return new ScaleSetSettings(name, 1, List.of("linux"));
  }

  @Test
  void aRegisteredRunnerIsListedOfflineThenOnlineThenBusy() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    long other = client.getOrCreateScaleSet(settings("gpu")).id();
    Instant issued = clock.instant();
    ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
    ScaleSetJitConfig elsewhere = client.generateJitConfig(other, "gpu-r1", "");
    clock.advance(Duration.ofSeconds(5));

    ScaleSetRunner registered = client.getRunner(jit.runnerId()).orElseThrow();
    assertThat(registered).isEqualTo(new ScaleSetRunner(jit.runnerId(), "linux-r1", id, false, false,
        java.util.Optional.of(issued)));
    assertThat(client.getRunnerByName("linux-r1")).contains(registered);
    assertThat(client.listRunners(id)).containsExactly(registered);
    assertThat(client.listRunners(other)).extracting(ScaleSetRunner::id).containsExactly(elsewhere.runnerId());

    SimulatedRunner runner = SimulatedRunner.fromJitConfig(github, jit.encodedJitConfig(), Duration.ZERO);
    assertThat(runner.isOnline()).isTrue();
    assertThat(client.getRunner(jit.runnerId())).hasValueSatisfying(r -> {
      assertThat(r.online()).isTrue();
      assertThat(r.busy()).isFalse();
    });
    runner.acceptJob();
    assertThat(client.getRunnerByName("LINUX-R1")).hasValueSatisfying(r -> assertThat(r.busy()).isTrue());
    assertThat(service.callCount("get-runner-by-name")).isEqualTo(2);
  }

  @Test
  void unknownRunnersAreEmptyAndRemovingOneIsNotFound() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    client.getOrCreateScaleSet(settings("linux"));
    assertThat(client.getRunner(424242)).isEmpty();
    assertThat(client.getRunnerByName("nobody here")).isEmpty();
    assertThat(client.removeRunner(424242)).isEqualTo(RunnerRemoval.NOT_FOUND);
    assertThat(service.callCount("get-runner")).isEqualTo(1);
    assertThat(service.callCount("delete-runner")).isEqualTo(1);
  }

  @Test
  void removingAnUnusedRegistrationFreesTheNameAndItsRunnerCannotConnect() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
    SimulatedRunner late = SimulatedRunner.fromJitConfig(github, jit.encodedJitConfig(), Duration.ofSeconds(30));

    assertThat(client.removeRunner(jit.runnerId())).isEqualTo(RunnerRemoval.REMOVED);
    assertThat(client.removeRunner(jit.runnerId())).isEqualTo(RunnerRemoval.NOT_FOUND);
    assertThat(client.getRunner(jit.runnerId())).isEmpty();
    assertThat(client.listRunners(id)).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(late.exitCode()).contains(SimulatedRunner.CONNECT_FAILURE_EXIT_CODE);
    assertThat(client.generateJitConfig(id, "linux-r1", "").runnerName()).isEqualTo("linux-r1");
  }

  @Test
  void aBusyRunnerIsNotRemovedAndAnIdleOneIsAndItsProcessExits() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    ScaleSetJitConfig busyJit = client.generateJitConfig(id, "linux-r1", "");
    ScaleSetJitConfig idleJit = client.generateJitConfig(id, "linux-r2", "");
    SimulatedRunner busy = SimulatedRunner.fromJitConfig(github, busyJit.encodedJitConfig(), Duration.ZERO);
    SimulatedRunner idle = SimulatedRunner.fromJitConfig(github, idleJit.encodedJitConfig(), Duration.ZERO);
    busy.acceptJob();
    assertThat(idle.isOnline()).isTrue();

    assertThat(client.removeRunner(busyJit.runnerId())).isEqualTo(RunnerRemoval.JOB_STILL_RUNNING);
    assertThat(busy.isBusy()).isTrue();
    assertThat(client.removeRunner(idleJit.runnerId())).isEqualTo(RunnerRemoval.REMOVED);
    assertThat(idle.exitCode()).contains(SimulatedRunner.CONNECT_FAILURE_EXIT_CODE);
    assertThat(client.listRunners(id)).extracting(ScaleSetRunner::name).containsExactly("linux-r1");

    busy.finishJob(); // an ephemeral runner deregisters after its job
    assertThat(client.getRunner(busyJit.runnerId())).isEmpty();
  }

  @Test
  void aLostJitAnswerIsRetriedIntoRunnerExistsWithoutTheConfigAndTheRunnerCanBeFoundAndRemoved() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    service.loseNextAnswer("generate-jit-config", 1);
    assertThatThrownBy(() -> client.generateJitConfig(id, "linux-r1", ""))
        .isInstanceOfSatisfying(ScaleSetException.class, e -> {
          assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.RUNNER_EXISTS);
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("generate-jit-config", "after 2 attempt(s)");
          assertNoSecretIn(e.toString());
        });
    assertThat(service.callCount("generate-jit-config")).isEqualTo(2);
    // The first POST registered the runner: ARC's recovery finds it by name, removes it and asks again.
    ScaleSetRunner orphan = client.getRunnerByName("linux-r1").orElseThrow();
    assertThat(orphan.scaleSetId()).isEqualTo(id);
    assertThat(orphan.online()).isFalse();
    assertThat(client.removeRunner(orphan.id())).isEqualTo(RunnerRemoval.REMOVED);
    ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
    assertThat(jit.runnerId()).isNotEqualTo(orphan.id());
  }

  @Test
  void aLostJitAnswerWithoutRetriesIsARetryableFailureWithNoStatusAndNoConfig() {
    ScaleSetClient client = client(RetryPolicy.none());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    service.loseNextAnswer("generate-jit-config", 1);
    assertThatThrownBy(() -> client.generateJitConfig(id, "linux-r1", ""))
        .isInstanceOfSatisfying(ScaleSetException.class, e -> {
          assertThat(e.status()).isZero();
          assertThat(e.retryable()).isTrue();
          assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.OTHER);
          assertNoSecretIn(e.toString());
        });
    assertThat(client.getRunnerByName("linux-r1")).hasValueSatisfying(r -> assertThat(r.scaleSetId()).isEqualTo(id));
  }

  @Test
  void aLostDeleteAnswerIsRetriedAndEndsAsNotFound() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
    service.loseNextAnswer("delete-runner", 1);
    assertThat(client.removeRunner(jit.runnerId())).isEqualTo(RunnerRemoval.NOT_FOUND);
    assertThat(service.callCount("delete-runner")).isEqualTo(2);
    assertThat(client.getRunner(jit.runnerId())).isEmpty();
  }

  @Test
  void throttledRunnerCallsWaitForRetryAfter() {
    ScaleSetClient client = client(RetryPolicy.defaults());
    long id = client.getOrCreateScaleSet(settings("linux")).id();
    ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
    Instant before = clock.instant();
    service.failNext(2, 429, 4);
    assertThat(client.listRunners(id)).hasSize(1);
    assertThat(Duration.between(before, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
    service.failNext(1, 429, 3);
    assertThat(client.removeRunner(jit.runnerId())).isEqualTo(RunnerRemoval.REMOVED);
  }

  private void assertNoSecretIn(String text) {
    assertThat(secrets).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    assertThat(github.issuedSecrets()).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    assertThat(service.issuedSecretKinds().keySet()).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
  }
}
