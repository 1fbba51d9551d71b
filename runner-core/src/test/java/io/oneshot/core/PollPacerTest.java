package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.github.RateLimitBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollPacerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final PollPacer pacer = new PollPacer(Duration.ofSeconds(1), Duration.ofSeconds(5));

  @Test
  void startsAtASecondAndGrowsByHalfToTheCap() {
    Duration interval = pacer.first();
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      seen.append(interval.toMillis()).append(' ');
      interval = pacer.grow(interval);
    }

    assertThat(seen.toString().trim()).isEqualTo("1000 1500 2250 3375 5000 5000");
  }

  @Test
  void aHealthyBudgetDoesNotSlowPolling() {
    Optional<RateLimitBudget> budget = Optional.of(new RateLimitBudget(5000, 4900, NOW.plusSeconds(3600)));

    assertThat(pacer.pace(Duration.ofSeconds(1), budget, NOW, 50)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aThinBudgetSpreadsWhatIsLeftUntilTheReset() {
    // 110 left, 10 kept in reserve: 100 requests over 1000 s is one every 10 s.
    Optional<RateLimitBudget> budget = Optional.of(new RateLimitBudget(5000, 110, NOW.plusSeconds(1000)));

    assertThat(pacer.pace(Duration.ofSeconds(1), budget, NOW, 10)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aSpentBudgetWaitsForTheReset() {
    Optional<RateLimitBudget> budget = Optional.of(new RateLimitBudget(5000, 3, NOW.plusSeconds(600)));

    assertThat(pacer.pace(Duration.ofSeconds(1), budget, NOW, 50)).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void aPastResetOrNoBudgetKeepsTheInterval() {
    Optional<RateLimitBudget> stale = Optional.of(new RateLimitBudget(5000, 0, NOW.minusSeconds(5)));

    assertThat(pacer.pace(Duration.ofSeconds(2), stale, NOW, 50)).isEqualTo(Duration.ofSeconds(2));
    assertThat(pacer.pace(Duration.ofSeconds(2), Optional.empty(), NOW, 50)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theFastPhaseKeepsTheInitialIntervalWhileTheBudgetAffordsItsRest() {
    PollPacer fast = new PollPacer(Duration.ofMillis(250), Duration.ofSeconds(3));
    // A GITHUB_TOKEN's 1,000 an hour: the fair share would be one poll every 3.6 s, but 5 s of 250 ms polls at
    // 5 calls each (105 calls) fit beside the 50 kept for the stop.
    Optional<RateLimitBudget> budget = Optional.of(new RateLimitBudget(1000, 990, NOW.plusSeconds(3600)));

    assertThat(fast.paceFast(budget, NOW, NOW.plusSeconds(5), 50, 5)).isEqualTo(Duration.ofMillis(250));
    assertThat(fast.paceFast(Optional.empty(), NOW, NOW.plusSeconds(5), 50, 5)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aBudgetThatCannotPayForTheFastPhaseFallsBackToItsFairShare() {
    PollPacer fast = new PollPacer(Duration.ofMillis(250), Duration.ofSeconds(3));
    // 150 left, 50 reserved: the phase's 105 calls do not fit; 100 over 600 s is one poll every 6 s.
    Optional<RateLimitBudget> budget = Optional.of(new RateLimitBudget(5000, 150, NOW.plusSeconds(600)));

    assertThat(fast.paceFast(budget, NOW, NOW.plusSeconds(5), 50, 5)).isEqualTo(Duration.ofSeconds(6));
  }
}
