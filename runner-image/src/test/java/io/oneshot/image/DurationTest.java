package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The entrypoint's duration parser, called by sourcing the script (sourcing runs nothing). */
class DurationTest {
  @ParameterizedTest
  @CsvSource({
      "600, 600000",
      "600s, 600000",
      "90s, 90000",
      "10m, 600000",
      "1h, 3600000",
      "1h30m, 5400000",
      "1h30m15s, 5415000",
      "2m500ms, 120500",
      "500ms, 500",
      "10M, 600000",
      "PT10M, 600000",
      "PT1H30M, 5400000",
      "pt90s, 90000",
      "0010s, 10000",
  })
  void acceptedForms(String text, long millis) {
    assertThat(parse(text)).isEqualTo(String.valueOf(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "0s", "abc", "10x", "-5s", "1.5h", "30m1h", "1h1h", "10 m", "PT", "P1D",
      "1234567890s", "s", "1hm"})
  void rejectedForms(String text) {
    assertThat(parse(text)).isEqualTo("rejected");
  }

  private static String parse(String text) {
    try {
      Process process = new ProcessBuilder("bash", "-c",
          "source \"$1\"; if parse_duration \"$2\"; then echo \"$DURATION_MS\"; else echo rejected; fi", "_",
          Entrypoint.SCRIPT.toString(), text).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      process.waitFor();
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
