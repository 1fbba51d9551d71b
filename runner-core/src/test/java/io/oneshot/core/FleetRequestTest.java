package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.SettingProblem;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FleetRequestTest {
  @Test
  void defaultsMatchTheActionsInputs() {
    FleetRequest request = FleetRequest.builder("team-a").build();

    assertThat(request.prefix()).isEqualTo("oneshot");
    assertThat(request.count()).isEqualTo(1);
    assertThat(request.runnerGroup()).isEqualTo("Default");
    assertThat(request.architecture()).isEqualTo("X64");
    assertThat(request.onlineTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(request.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(request.maxLifetime()).isEqualTo(Duration.ofHours(6));
    assertThat(request.registration()).isEqualTo(RegistrationMode.JIT);
    assertThat(request.workflowRun()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidSettingsException error = (InvalidSettingsException) catchThrowable(() -> FleetRequest.builder("Team A")
        .prefix("-bad").count(0).labels(List.of("has space")).architecture("sparc")
        .onlineTimeout(Duration.ZERO).build());

    assertThat(error.problems()).hasSize(6);
    assertThat(error.problems()).anyMatch(p -> p.startsWith("owner"))
        .anyMatch(p -> p.startsWith("name"))
        .anyMatch(p -> p.startsWith("count 0"))
        .anyMatch(p -> p.startsWith("labels: 'has space'"))
        .anyMatch(p -> p.startsWith("architecture"))
        .anyMatch(p -> p.startsWith("timeout"));
    assertThat(error.details()).extracting(SettingProblem::input)
        .containsExactlyInAnyOrder("owner", "name", "count", "labels", "architecture", "timeout");
  }

  @Test
  void aDurationOutOfRangeNamesTheInputTheValueAndTheRange() {
    assertThatThrownBy(() -> FleetRequest.builder("t").onlineTimeout(Duration.ofDays(9_999_999_999_999L)).build())
        .hasMessage("timeout '239999999999976h' is out of range; use 10s to 6h");
    assertThatThrownBy(() -> FleetRequest.builder("t").onlineTimeout(Duration.ofSeconds(9)).build())
        .hasMessage("timeout '9s' is out of range; use 10s to 6h");
    assertThatThrownBy(() -> FleetRequest.builder("t").idleTimeout(Duration.ofSeconds(29)).build())
        .hasMessage("idle-timeout '29s' is out of range; use 30s to 24h");
    assertThatThrownBy(() -> FleetRequest.builder("t").maxLifetime(Duration.ofHours(169)).build())
        .hasMessage("max-lifetime '169h' is out of range; use 5m to 168h");
    assertThatThrownBy(() -> FleetRequest.builder("t").maxLifetime(Duration.ofMinutes(-1)).build())
        .hasMessage("max-lifetime '-1m' is out of range; use 5m to 168h");
  }

  @Test
  void theBoundsThemselvesAreAccepted() {
    FleetRequest low = FleetRequest.builder("t").onlineTimeout(FleetRequest.MIN_ONLINE_TIMEOUT)
        .idleTimeout(FleetRequest.MIN_IDLE_TIMEOUT).maxLifetime(FleetRequest.MIN_MAX_LIFETIME).build();
    FleetRequest high = FleetRequest.builder("t").onlineTimeout(FleetRequest.MAX_ONLINE_TIMEOUT)
        .idleTimeout(FleetRequest.MAX_IDLE_TIMEOUT).maxLifetime(FleetRequest.MAX_MAX_LIFETIME).build();

    assertThat(low.onlineTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(high.maxLifetime()).isEqualTo(Duration.ofHours(168));
    assertThat(FleetRequest.MAX_MAX_LIFETIME.toSeconds()).isLessThan(1_000_000_000L);
  }

  @Test
  void anIdleTimeoutLongerThanTheLifetimeNamesBothInputs() {
    InvalidSettingsException error = (InvalidSettingsException) catchThrowable(() -> FleetRequest.builder("t")
        .idleTimeout(Duration.ofHours(2)).maxLifetime(Duration.ofHours(1)).build());

    assertThat(error.details()).singleElement().satisfies(problem -> {
      assertThat(problem.input()).isEqualTo("idle-timeout");
      assertThat(problem.message()).isEqualTo("idle-timeout '2h' is longer than max-lifetime '1h';"
          + " use an idle-timeout no longer than the max-lifetime");
    });
  }

  @Test
  void aWorkflowRunIsDigitsAndNamesGitHubRunId() {
    assertThat(FleetRequest.builder("t").workflowRun("123456789").build().workflowRun()).contains("123456789");
    assertThat(FleetRequest.builder("t").workflowRun(" ").build().workflowRun()).isEmpty();

    InvalidSettingsException error = (InvalidSettingsException) catchThrowable(() -> FleetRequest.builder("t")
        .workflowRun("12; rm").build());

    assertThat(error.details()).singleElement().satisfies(problem -> {
      assertThat(problem.input()).isEqualTo("GITHUB_RUN_ID");
      assertThat(problem.message()).startsWith("GITHUB_RUN_ID '12; rm' is not a workflow run id");
    });
  }

  @Test
  void tooManyLabelsInAllIsRejected() {
    List<String> labels = IntStream.range(0, 95).mapToObj(i -> "l" + i).toList();

    assertThatThrownBy(() -> FleetRequest.builder("t").labels(labels).build())
        .hasMessageContaining("GitHub takes at most 100");
  }

  @Test
  void theOwnerAndCreatedLabelsCountTowardsGitHubsLimit() {
    // 6 of oneshot's own before them (self-hosted, Linux, X64, ephemeral, the prefix, the batch label)
    List<String> fits = IntStream.range(0, 92).mapToObj(i -> "l" + i).toList();
    List<String> oneTooMany = IntStream.range(0, 93).mapToObj(i -> "l" + i).toList();

    assertThat(FleetRequest.builder("t").labels(fits).build().labels()).hasSize(92);
    assertThatThrownBy(() -> FleetRequest.builder("t").labels(oneTooMany).build())
        .hasMessageContaining("make 101 in all");
  }

  @Test
  void labelsOneshotWritesItselfCannotBeGivenByTheUser() {
    assertThatThrownBy(() -> FleetRequest.builder("t").labels(List.of("oneshot-created-0")).build())
        .hasMessageContaining("reserves");
    assertThatThrownBy(() -> FleetRequest.builder("t").labels(List.of("ONESHOT-OWNER-someone")).build())
        .hasMessageContaining("reserves");
  }

  @Test
  void countAboveTheCapIsRejected() {
    assertThatThrownBy(() -> FleetRequest.builder("t").count(1000).build())
        .hasMessage("count 1000 is out of range; use a whole number from 1 to 100");
  }

  private static Throwable catchThrowable(Runnable runnable) {
    try {
      runnable.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }
}
