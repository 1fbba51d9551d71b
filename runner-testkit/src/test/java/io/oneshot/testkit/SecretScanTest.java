package io.oneshot.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.oneshot.fakes.github.FakeGitHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The extension fails a test that leaks a secret a fake issued, names the kind, and never shows the value. */
class SecretScanTest {
  static final List<String> TOKENS = new ArrayList<>();

  @Test
  void aTokenPrintedToStderrFailsTheTestNamingItsKindNotItsValue() {
    TestExecutionSummary summary = run(LeaksToStderr.class);

    assertThat(summary.getTotalFailureCount()).isEqualTo(1);
    Throwable failure = summary.getFailures().get(0).getException();
    assertThat(failure).hasMessageContaining("a personal access token in System.err");
    assertThat(TOKENS).isNotEmpty().allSatisfy(token -> assertThat(failure.getMessage()).doesNotContain(token));
  }

  @Test
  void aRegistrationTokenInAWatchedFileFailsTheTest() {
    TestExecutionSummary summary = run(LeaksToAWatchedFile.class);

    assertThat(summary.getTotalFailureCount()).isEqualTo(1);
    assertThat(summary.getFailures().get(0).getException())
        .hasMessageContaining("a registration token in file github_output");
  }

  @Test
  void maskCommandsAndCleanOutputPass() {
    TestExecutionSummary summary = run(MasksOnly.class);

    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(summary.getTotalFailureCount()).isZero();
  }

  @Test
  void leaksNamesEveryKindOncePerPlace() {
    Map<String, Supplier<String>> texts = Map.of("stdout", () -> "a ghs_SECRETSECRET b ghs_SECRETSECRET",
        "summary", () -> "::add-mask::JITJITJITJIT\nclean");
    Map<String, String> secrets = Map.of("ghs_SECRETSECRET", "installation token", "JITJITJITJIT", "JIT config",
        "short", "personal access token");

    assertThat(SecretScan.leaks(texts, secrets)).containsExactly("an installation token in stdout");
  }

  private static TestExecutionSummary run(Class<?> testClass) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
    return listener.getSummary();
  }

  @ExtendWith(SecretScan.class)
  static class LeaksToStderr {
    @Test
    void printsAToken() {
      try (FakeGitHub github = FakeGitHub.builder().seed(7).build()) {
        String token = github.issueToken();
        TOKENS.add(token);
        System.err.println("debug: using " + token);
      }
    }
  }

  @ExtendWith(SecretScan.class)
  static class LeaksToAWatchedFile {
    @TempDir Path directory;

    @Test
    void writesARegistrationToken() throws IOException {
      Path outputs = directory.resolve("github_output");
      SecretScan.watch(outputs);
      try (FakeGitHub github = FakeGitHub.builder().seed(8).build()) {
        String scope = github.addRepository("octo/app");
        Files.writeString(outputs, "token=" + github.createRegistrationToken(scope) + "\n");
      }
    }
  }

  @ExtendWith(SecretScan.class)
  static class MasksOnly {
    @Test
    void masksAToken() {
      try (FakeGitHub github = FakeGitHub.builder().seed(9).build()) {
        String token = github.issueToken();
        System.out.println("::add-mask::" + token);
        System.out.println("started runner oneshot-abc");
      }
    }
  }
}
