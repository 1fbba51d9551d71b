package io.oneshot.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** action.yml at the repository root declares exactly the inputs the code reads, with the same defaults. */
class ActionYmlTest {
  private static List<String> actionYml() throws Exception {
    return Files.readAllLines(Path.of("..", "action.yml"));
  }

  @Test
  void declaresExactlyTheInputsInOrderWithTheirDefaults() throws Exception {
    Map<String, String> declared = new LinkedHashMap<>();
    String current = null;
    boolean inInputs = false;
    for (String line : actionYml()) {
      if (line.equals("inputs:")) {
        inInputs = true;
      } else if (!line.startsWith(" ")) {
        inInputs = false;
      } else if (inInputs && line.matches("  [a-z-]+:")) {
        current = line.trim().replace(":", "");
        declared.put(current, null);
      } else if (inInputs && line.startsWith("    default: ")) {
        declared.put(current, line.substring("    default: ".length()).replace("'", ""));
      }
    }
    List<String> names = new ArrayList<>(declared.keySet());

    assertThat(names).containsExactlyElementsOf(ActionInputs.ALL.stream().map(InputDefinition::name).toList());
    for (InputDefinition input : ActionInputs.ALL) {
      if (input.name().equals("github-api-url") || input.name().equals("context")) {
        assertThat(declared.get(input.name())).startsWith("${{ github.");
      } else {
        assertThat(declared.get(input.name())).as(input.name()).isEqualTo(input.defaultValue().orElse(null));
      }
    }
  }

  @Test
  void isADockerActionWithTheSeedsOutputs() throws Exception {
    String text = String.join("\n", actionYml());

    assertThat(text).contains("  using: 'docker'").contains("\n  runner_id:").contains("\n  task_arn:")
        .contains("\n  ipaddr:");
  }
}
