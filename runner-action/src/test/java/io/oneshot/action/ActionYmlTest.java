package io.oneshot.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * action.yml at the repository root declares exactly the inputs the code reads: the common inputs and
 * every backend's declared settings, with their descriptions and defaults (a backend setting's in its
 * description only), in order. On drift the test
 * fails showing the block to paste; run it with {@code -Doneshot.regenerate=true} to rewrite the block.
 */
class ActionYmlTest {
  private static final Path ACTION_YML = Path.of("..", "action.yml");
  /** Defaults that only exist in action.yml: workflow expressions the runner fills in. */
  private static final Map<String, String> EXPRESSIONS = Map.of("github-api-url", "${{ github.api_url }}",
      "context", "${{ github.repository }}");

  static String render(ActionInputs inputs) {
    StringBuilder yml = new StringBuilder("inputs:\n");
    for (InputDefinition input : inputs.all()) {
      yml.append("  ").append(input.name()).append(":\n");
      // A backend setting's default stays the provider's: a default here would reach every backend as an
      // input (launch-type: FARGATE next to capacity-providers), so it is only described.
      String described = input.description() + (input.isBackendSetting()
          ? input.defaultValue().map(d -> " (default: " + d + ")").orElse("") : "");
      yml.append("    description: ").append(quote(described)).append('\n');
      yml.append("    required: false\n");
      String defaultValue = input.isBackendSetting() ? null
          : EXPRESSIONS.getOrDefault(input.name(), input.defaultValue().orElse(null));
      if (defaultValue != null) {
        yml.append("    default: ").append(quote(defaultValue)).append('\n');
      }
    }
    return yml.toString();
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  @Test
  void declaresExactlyTheInputsTheCodeReads() throws Exception {
    String text = Files.readString(ACTION_YML);
    int from = text.indexOf("inputs:\n");
    int to = text.indexOf("outputs:\n");
    String expected = render(ActionInputs.load(getClass().getClassLoader()));
    if (Boolean.getBoolean("oneshot.regenerate")) {
      Files.writeString(ACTION_YML, text.substring(0, from) + expected + text.substring(to));
      text = Files.readString(ACTION_YML);
      from = text.indexOf("inputs:\n");
      to = text.indexOf("outputs:\n");
    }

    assertThat(text.substring(from, to)).as("action.yml inputs; expected:%n%s", expected).isEqualTo(expected);
  }

  @Test
  void everyBackendOnTheClassPathHasItsSettingsAsInputs() {
    ActionInputs inputs = ActionInputs.load(getClass().getClassLoader());

    assertThat(inputs.backendIds()).containsExactly("aci", "cloudrun", "ecs");
    for (String backend : inputs.backendIds()) {
      assertThat(inputs.backendInputs(backend, Mode.START)).as(backend).isNotEmpty();
      assertThat(inputs.backendInputs(backend, Mode.STOP)).as(backend + " stop reads only its scope settings")
          .isNotEmpty().allMatch(input -> input.readIn(Mode.START));
    }
    assertThat(inputs.find("backend").orElseThrow().description()).contains(inputs.backendIds());
  }

  @Test
  void isADockerActionWithTheSeedsOutputs() throws Exception {
    String text = Files.readString(ACTION_YML);

    assertThat(text).contains("  using: 'docker'").contains("\n  runner_id:").contains("\n  task_arn:")
        .contains("\n  ipaddr:");
  }
}
