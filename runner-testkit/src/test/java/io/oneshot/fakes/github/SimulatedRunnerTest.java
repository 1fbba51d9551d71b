package io.oneshot.fakes.github;

import static io.oneshot.fakes.github.GitHubHttp.jit;
import static io.oneshot.fakes.github.GitHubHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.oneshot.fakes.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedRunnerTest {
  private static final String ORG = "orgs/octo";
  private static final Duration BOOT = Duration.ofSeconds(20);

  private final TestClock clock = TestClock.atEpochOfTests();
  private FakeGitHub github;
  private GitHubHttp http;

  @BeforeEach
  void start() {
    github = FakeGitHub.builder().clock(clock).seed(3).build();
    github.addOrganization("octo");
    http = GitHubHttp.token(github, github.issueToken());
  }

  @AfterEach
  void stop() {
    github.close();
  }

  private String newJit(String name) {
    JsonNode created = json(http.post("/orgs/octo/actions/runners/generate-jitconfig",
        jit(name, 1, "self-hosted", "Linux", "X64", "oneshot")));
    return created.path("encoded_jit_config").asText();
  }

  @Test
  void jitRunnerBootsOnTheClockRunsOneJobAndIsRemoved() {
    SimulatedRunner runner = SimulatedRunner.fromJitConfig(github, newJit("one"), BOOT);
    long id = runner.githubRunnerId().orElseThrow();
    assertThat(runner.runnerName()).isEqualTo("one");

    clock.advance(BOOT.minusSeconds(1));
    assertThat(runner.isOnline()).isFalse();
    assertThat(github.runner(ORG, id).orElseThrow().status()).isEqualTo("offline");

    clock.advance(Duration.ofSeconds(1));
    assertThat(runner.isOnline()).isTrue();
    assertThat(runner.exitCode()).isEmpty();
    JsonNode seen = json(http.get("/orgs/octo/actions/runners/" + id));
    assertThat(seen.path("status").asText()).isEqualTo("online");
    assertThat(seen.path("os").asText()).isEqualTo("Linux");

    runner.acceptJob();
    assertThat(github.runner(ORG, id).orElseThrow().busy()).isTrue();
    assertThat(http.delete("/orgs/octo/actions/runners/" + id).statusCode()).isEqualTo(422);

    runner.finishJob();
    assertThat(runner.exitCode()).hasValue(0);
    assertThat(github.runner(ORG, id)).isEmpty();
    assertThat(http.get("/orgs/octo/actions/runners/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void jitConfigIsSingleUse() {
    String encoded = newJit("single");
    github.connectJit(encoded);

    assertThatThrownBy(() -> github.connectJit(encoded))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("single-use")
        .hasMessageNotContaining(encoded);
    assertThatThrownBy(() -> github.connectJit("bm90IGEgY29uZmln"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("never issued");

    SimulatedRunner second = SimulatedRunner.fromJitConfig(github, encoded, Duration.ZERO);
    assertThat(second.exitCode()).hasValue(SimulatedRunner.CONNECT_FAILURE_EXIT_CODE);
  }

  @Test
  void jitConfigOfADeletedRunnerCannotConnect() {
    String encoded = newJit("gone");
    long id = JitConfigs.decode(encoded).runnerId();
    assertThat(http.delete("/orgs/octo/actions/runners/" + id).statusCode()).isEqualTo(204);

    assertThatThrownBy(() -> github.connectJit(encoded)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no longer exists");
  }

  @Test
  void neverConnectedEphemeralRunnerIsRemovedByGitHubAfterADay() {
    SimulatedRunner runner =
        SimulatedRunner.fromJitConfig(github, newJit("hung"), BOOT, RunnerBehaviour.NEVER_ONLINE);
    long id = runner.githubRunnerId().orElseThrow();

    clock.advance(Duration.ofHours(23));
    assertThat(runner.isOnline()).isFalse();
    assertThat(runner.exitCode()).isEmpty();
    assertThat(github.runner(ORG, id)).isPresent();
    clock.advance(Duration.ofHours(1));
    assertThat(github.runners(ORG)).isEmpty();
  }

  @Test
  void crashOnBootExitsWithTheGivenCode() {
    SimulatedRunner runner =
        SimulatedRunner.fromJitConfig(github, newJit("crash"), BOOT, RunnerBehaviour.crashOnBoot(3));
    assertThat(runner.exitCode()).isEmpty();
    clock.advance(BOOT);
    assertThat(runner.exitCode()).hasValue(3);
    assertThat(runner.exitedAt()).hasValue(clock.instant());
    assertThat(github.runner(ORG, runner.githubRunnerId().orElseThrow()).orElseThrow().online()).isFalse();
  }

  @Test
  void crashWhileBusyLeavesAnOfflineRunner() {
    SimulatedRunner runner = SimulatedRunner.fromJitConfig(github, newJit("busy"), Duration.ZERO);
    runner.acceptJob();
    runner.crash(137);
    assertThat(runner.exitCode()).hasValue(137);
    FakeRunner seen = github.runner(ORG, runner.githubRunnerId().orElseThrow()).orElseThrow();
    assertThat(seen.online()).isFalse();
    assertThat(seen.busy()).isFalse();
  }

  @Test
  void tokenRunnerRegistersInItsGroupAndDeregistersOnSigterm() {
    github.addRunnerGroup(ORG, "oneshot");
    String token = json(http.post("/orgs/octo/actions/runners/registration-token", null))
        .path("token").asText();
    SimulatedRunner runner = SimulatedRunner.fromRegistrationToken(github, token, "tok-1",
        List.of("gpu"), "oneshot", BOOT);
    assertThat(runner.githubRunnerId()).isEmpty();

    clock.advance(BOOT);
    assertThat(runner.isOnline()).isTrue();
    FakeRunner registered = github.runners(ORG).get(0);
    assertThat(registered.name()).isEqualTo("tok-1");
    assertThat(registered.groupId()).isEqualTo(2);
    assertThat(registered.ephemeral()).isTrue();
    assertThat(registered.labels()).containsExactly("self-hosted", "Linux", "X64", "gpu");

    runner.stop();
    assertThat(runner.exitCode()).hasValue(SimulatedRunner.SIGTERM_EXIT_CODE);
    assertThat(github.runners(ORG)).isEmpty();
  }

  @Test
  void expiredRegistrationTokenMakesTheRunnerExit() {
    String token = github.createRegistrationToken(ORG);
    SimulatedRunner runner = SimulatedRunner.fromRegistrationToken(github, token, "late", List.of(), null,
        Duration.ofMinutes(61));
    clock.advance(Duration.ofMinutes(61));
    assertThat(runner.exitCode()).hasValue(SimulatedRunner.CONNECT_FAILURE_EXIT_CODE);
    assertThat(runner.exitReason()).contains("expired").doesNotContain(token);
  }

  @Test
  void persistentRunnerTakesSeveralJobs() {
    String token = github.createRegistrationToken(ORG);
    SimulatedRunner runner = SimulatedRunner.fromRegistrationToken(github, token, "keep", List.of(), null,
        false, Duration.ZERO, RunnerBehaviour.NORMAL);
    runner.acceptJob();
    runner.finishJob();
    runner.acceptJob();
    runner.finishJob();
    assertThat(runner.exitCode()).isEmpty();
    assertThat(github.runners(ORG)).hasSize(1);
  }

  @Test
  void idleRunnerDeletedThroughTheApiExits() {
    SimulatedRunner runner = SimulatedRunner.fromJitConfig(github, newJit("deleted"), Duration.ZERO);
    assertThat(runner.isOnline()).isTrue();
    http.delete("/orgs/octo/actions/runners/" + runner.githubRunnerId().orElseThrow());
    assertThat(runner.exitCode()).hasValue(SimulatedRunner.CONNECT_FAILURE_EXIT_CODE);
  }

  @Test
  void issuedSecretsCoverJitConfigsAndTheirCredentials() {
    String encoded = newJit("secrets");
    assertThat(github.issuedSecrets()).contains(encoded).hasSizeGreaterThan(5);
    assertThat(github.issuedSecrets()).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(16));
  }
}
