package io.oneshot.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {
  @ParameterizedTest
  @CsvSource({"90s,PT1M30S", "5m,PT5M", "1h30m,PT1H30M", "6h,PT6H", "1d,PT24H", "PT5M,PT5M", "pt10s,PT10S",
      "1h0m5s,PT1H5S"})
  void acceptsShortAndIsoForms(String text, String expected) {
    assertThat(DurationParser.parse(text)).contains(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5 minutes", "-5m", "m", "1x", "PTX", "5m1h"})
  void rejectsEverythingElse(String text) {
    assertThat(DurationParser.parse(text)).isEmpty();
  }
}
