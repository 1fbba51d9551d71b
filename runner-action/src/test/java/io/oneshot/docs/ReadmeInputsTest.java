package io.oneshot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.action.ActionInputs;
import io.oneshot.action.InputDefinition;
import io.oneshot.action.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's input table says what the code declares: every common input with its default, and per
 * backend a row {@code `id`: `setting` [default], ...} listing exactly the settings its provider
 * declares, with the ones every mode reads after {@code every mode:}, and a link to its page
 * {@code docs/backends/<id>.md}.
 */
class ReadmeInputsTest {
  private static final Pattern NAME = Pattern.compile("`([a-z][a-z0-9-]*)`(?: \\[([^\\]]*)\\])?");
  private static final ActionInputs INPUTS = ActionInputs.load(ReadmeInputsTest.class.getClassLoader());

  private static List<String[]> rows() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int from = readme.indexOf("\n## Inputs");
    String section = readme.substring(from, readme.indexOf("\n## ", from + 5));
    List<String[]> rows = new ArrayList<>();
    for (String line : section.lines().toList()) {
      if (line.startsWith("| `")) {
        String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
        rows.add(new String[] {cells[0].trim(), cells[1].trim(), cells[2].trim()});
      }
    }
    return rows;
  }

  private static Map<String, Optional<String>> names(String cell) {
    Map<String, Optional<String>> names = new LinkedHashMap<>();
    Matcher matcher = NAME.matcher(cell);
    while (matcher.find()) {
      names.put(matcher.group(1), Optional.ofNullable(matcher.group(2)));
    }
    return names;
  }

  @Test
  void everyCommonInputHasARowWithItsDefault() throws IOException {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String[] row : rows()) {
      if (!row[0].matches("`[a-z]+`:.*")) {
        names(row[0]).keySet().forEach(name -> defaults.put(name, row[1]));
      }
    }
    for (InputDefinition input : ActionInputs.COMMON) {
      assertThat(defaults).as("README row for " + input.name()).containsKey(input.name());
      if (!defaults.get(input.name()).startsWith("`$")) {
        assertThat(defaults.get(input.name())).as("default of " + input.name())
            .isEqualTo(input.defaultValue().orElse(""));
      }
    }
    assertThat(defaults.keySet()).as("rows for inputs that do not exist")
        .allMatch(name -> INPUTS.find(name).filter(input -> !input.isBackendSetting()).isPresent());
  }

  @Test
  void eachBackendsRowListsExactlyItsDeclaredSettings() throws IOException {
    for (String backend : INPUTS.backendIds()) {
      String[] row = rows().stream().filter(r -> r[0].startsWith("`" + backend + "`:")).findFirst()
          .orElseThrow(() -> new AssertionError("no README input row for backend " + backend));
      Map<String, Optional<String>> documented = names(row[0].substring(row[0].indexOf(':') + 1));
      Map<String, Optional<String>> declared = new LinkedHashMap<>();
      for (InputDefinition input : INPUTS.all()) {
        if (input.backends().contains(backend)) {
          declared.put(input.name(), defaultOn(backend, input));
        }
      }
      assertThat(documented).as(backend + " settings in the README").isEqualTo(declared);
      List<String> everyMode = INPUTS.backendInputs(backend, Mode.STOP).stream().map(InputDefinition::name).toList();
      String third = row[2];
      assertThat(third).as(backend + " row names what every mode reads").contains("every mode: ");
      String modes = third.substring(third.indexOf("every mode: ") + "every mode: ".length());
      modes = modes.substring(0, modes.indexOf(';'));
      assertThat(names(modes).keySet()).as(backend + " settings stop, sweep and status read")
          .containsExactlyInAnyOrderElementsOf(everyMode);
      assertThat(third).as(backend + " row links to the backend's page")
          .contains("](docs/backends/" + backend + ".md)");
    }
  }

  /** A merged input's default on one backend: its own, from the description when the backends differ. */
  private static Optional<String> defaultOn(String backend, InputDefinition input) {
    if (input.defaultValue().isPresent() || input.backends().size() == 1) {
      return input.defaultValue();
    }
    Matcher own = Pattern.compile(backend + ": [^;]*\\(default: ([^)]*)\\)").matcher(input.description());
    return own.find() ? Optional.of(own.group(1)) : Optional.empty();
  }
}
