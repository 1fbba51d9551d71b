package io.oneshot.github;

import static io.oneshot.github.GitHubFixture.ORG;
import static io.oneshot.github.GitHubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.oneshot.fakes.github.FakeGitHubApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scans everything the client logged (the build routes SLF4J to a file at debug level) and every
 * message and {@code toString()} it produced for the secrets the fake issued.
 */
class GitHubClientSecretsTest {
  private final GitHubFixture fixture = new GitHubFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void noSecretIsEverLoggedOrPrinted() throws IOException {
    Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    List<String> printed = new ArrayList<>();

    GitHubClient token = fixture.client(REPO);
    printed.add(token.generateJitConfig(new JitConfigRequest("dev-iiii9999", 1, List.of("self-hosted"), "_work")).toString());
    printed.add(token.createRegistrationToken().toString());
    printed.add(token.createRemoveToken().toString());
    FakeGitHubApp app = fixture.github.createApp();
    fixture.github.install(app, ORG);
    GitHubClient appClient = fixture.clientBuilder(ORG,
        GitHubCredentials.app(app.appId(), app.privateKeyPkcs1Pem(), OptionalLong.empty())).build();
    printed.add(appClient.generateJitConfig(new JitConfigRequest("dev-jjjj0000", 1, List.of("self-hosted"), "_work")).toString());
    fixture.github.faults().failNext("actions/list-self-hosted-runners-for-org", 502, 1);
    appClient.listRunners();
    printed.add(String.valueOf(catchThrowable(() -> fixture.clientBuilder(REPO,
        GitHubCredentials.token(fixture.token + "x")).build().listRunners()).getMessage()));
    printed.add(String.valueOf(catchThrowable(() -> token.generateJitConfig(
        new JitConfigRequest("dev-iiii9999", 1, List.of("self-hosted"), "_work"))).getMessage()));

    String logged = Files.readString(log, StandardCharsets.UTF_8).substring((int) logStart);
    assertThat(logged).as("the client's debug lines reach the scanned log").contains("GitHub POST")
        .contains("generate-jitconfig -> 201");
    Set<String> secrets = fixture.github.issuedSecrets();
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
    List<String> secretsToFind = new ArrayList<>(secrets);
    secretsToFind.add(fixture.token);
    app.privateKeyPkcs1Pem().lines().filter(l -> !l.startsWith("-----")).forEach(secretsToFind::add);
    for (String secret : secretsToFind) {
      assertThat(logged).doesNotContain(secret);
      assertThat(printed).allSatisfy(text -> assertThat(text).doesNotContain(secret));
    }
  }
}
