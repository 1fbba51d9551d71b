package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JDK HTTP client's selector thread, which would hold the JVM's exit for 300 ms, ends before main exits. */
class HttpSelectorExitTest {
  private static boolean selectorAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"));
  }

  @Test
  void aLiveClientsSelectorThreadIsEnded() {
    HttpClient client = HttpClient.newHttpClient();
    assertThat(selectorAlive()).isTrue();

    OneshotCli.stopHttpSelectors(Duration.ofSeconds(2));

    assertThat(selectorAlive()).isFalse();
    assertThat(client).isNotNull(); // still referenced: the selector ended because it was interrupted
  }
}
