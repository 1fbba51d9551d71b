package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private final RetryBackoff backoff = new RetryBackoff(new Random(3));

  @Test
  void theCeilingDoublesFromOneSecondUpToThirty() {
    assertThat(IntStream.rangeClosed(1, 8).mapToObj(backoff::ceiling).map(Duration::toSeconds))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void delaysAreSpreadBetweenZeroAndTheCeiling() {
    var delays = IntStream.range(0, 200).mapToObj(i -> backoff.delay(3)).toList();

    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(4)));
    assertThat(delays).anyMatch(d -> d.compareTo(Duration.ofSeconds(1)) < 0)
        .anyMatch(d -> d.compareTo(Duration.ofSeconds(3)) > 0);
  }
}
