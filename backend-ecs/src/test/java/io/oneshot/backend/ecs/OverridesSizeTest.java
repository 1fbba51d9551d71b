package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverridesSizeTest {
  @Test
  void countsTheJsonAsEcsDoes() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "1");

    // {"containerOverrides":[{"name":"r","environment":[{"name":"A","value":"1"}]}]}
    assertThat(OverridesSize.of("r", env, Optional.empty(), Optional.empty())).isEqualTo(78);
    assertThat(OverridesSize.of("r", env, Optional.of("1024"), Optional.empty())).isEqualTo(78 + ",\"cpu\":\"1024\"".length());
  }

  @Test
  void escapingCounts() {
    assertThat(OverridesSize.of("r", Map.of("A", "\"\""), Optional.empty(), Optional.empty()))
        .isEqualTo(OverridesSize.of("r", Map.of("A", "1234"), Optional.empty(), Optional.empty()));
  }
}
