package io.oneshot.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchSpecTest {
  private static final String JIT = "eyJzZWNyZXQiOiJkby1ub3QtcHJpbnQifQ==";

  private LaunchSpec spec(RunnerCredential credential) {
    return new LaunchSpec("dev-abcd1234", List.of("self-hosted", "dev"), credential, Map.of("TZ", "UTC"),
        Duration.ofHours(6), Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team"), "dev-abcd1234-1", 0);
  }

  @Test
  void jitModeHandsTheConfigAndTimersToTheImage() {
    Map<String, String> env = spec(new RunnerCredential.JitConfig(JIT)).containerEnvironment();

    assertThat(env).containsEntry("ACTIONS_RUNNER_INPUT_JITCONFIG", JIT)
        .containsEntry("ONESHOT_IDLE_TIMEOUT", "600s")
        .containsEntry("ONESHOT_MAX_LIFETIME", "21600s")
        .containsEntry("TZ", "UTC")
        .doesNotContainKey("RUNNER_TOKEN");
  }

  @Test
  void tokenModeHandsWhatConfigShNeeds() {
    Map<String, String> env = spec(new RunnerCredential.RegistrationToken("AABBCC", URI.create("https://github.com/o/r"),
        "Default", "_work")).containerEnvironment();

    assertThat(env).containsEntry("RUNNER_URL", "https://github.com/o/r")
        .containsEntry("RUNNER_TOKEN", "AABBCC")
        .containsEntry("RUNNER_NAME", "dev-abcd1234")
        .containsEntry("RUNNER_LABELS", "self-hosted,dev")
        .containsEntry("RUNNER_GROUP", "Default")
        .containsEntry("RUNNER_WORKDIR", "_work")
        .doesNotContainKey("ACTIONS_RUNNER_INPUT_JITCONFIG");
    assertThat(RunnerEnvironment.isSecret("RUNNER_TOKEN")).isTrue();
    assertThat(RunnerEnvironment.isSecret("RUNNER_NAME")).isFalse();
  }

  @Test
  void toStringNeverShowsTheCredential() {
    assertThat(spec(new RunnerCredential.JitConfig(JIT)).toString()).doesNotContain(JIT).contains("***");
    assertThat(new RunnerCredential.RegistrationToken("AABBCC", URI.create("https://github.com/o"), "g", "w").toString())
        .doesNotContain("AABBCC");
  }

  @Test
  void idempotencyKeyMustFitEveryCloud() {
    assertThatThrownBy(() -> new LaunchSpec("n", List.of(), new RunnerCredential.JitConfig(JIT), Map.of(),
        Duration.ofHours(1), Duration.ofMinutes(1), Map.of(), "k".repeat(65), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
  }
}
