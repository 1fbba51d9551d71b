package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameGeneratorTest {
  private final NameGenerator names = new NameGenerator(new Random(7));

  @Test
  void batchLabelsHaveSixteenRandomLowercaseCharacters() {
    String label = names.batchLabel("dev");

    assertThat(label).matches("dev-[a-z0-9]{16}");
    assertThat(NameGenerator.matches(label, "dev", NameGenerator.BATCH_SUFFIX)).isTrue();
  }

  @Test
  void runnerNamesHaveEightRandomCharacters() {
    assertThat(names.runnerName("Dev")).matches("Dev-[a-z0-9]{8}");
  }

  @Test
  void namesDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(names.runnerName("x"));
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void matchesRejectsOtherShapes() {
    assertThat(NameGenerator.matches("dev-abc", "dev", 8)).isFalse();
    assertThat(NameGenerator.matches("prod-abcdefgh", "dev", 8)).isFalse();
    assertThat(NameGenerator.matches("dev-ABCDEFGH", "dev", 8)).isFalse();
    assertThat(NameGenerator.matches("DEV-abcdefgh", "dev", 8)).isTrue();
  }
}
