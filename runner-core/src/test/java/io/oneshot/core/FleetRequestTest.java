package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
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
  }

  @Test
  void tooManyLabelsInAllIsRejected() {
    List<String> labels = IntStream.range(0, 95).mapToObj(i -> "l" + i).toList();

    assertThatThrownBy(() -> FleetRequest.builder("t").labels(labels).build())
        .hasMessageContaining("GitHub takes at most 100");
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
