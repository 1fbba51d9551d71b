package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.RunnerEnvironment;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Rules the scripts must keep whatever the tests above happen to exercise. */
class ScriptRulesTest {
  static List<String> code(Path script) throws Exception {
    return Files.readAllLines(script).stream().map(String::strip).filter(line -> !line.startsWith("#")).toList();
  }

  @Test
  void noScriptTracesOrDumpsTheEnvironment() throws Exception {
    Pattern forbidden = Pattern.compile("\\bset\\s+-[a-z]*x|\\bprintenv\\b|\\bexport\\s+-p\\b|\\bdeclare\\s+-p\\b"
        + "|^env\\s*$|\\bcompgen\\s+-[a-z]*[ev]|/proc/self/environ|\\$\\{![A-Za-z_]+[@*]}|^set\\s*$");
    assertThat(List.of("set -x", "set -eux", "printenv", "export -p", "declare -p", "env", "compgen -v", "set"))
        .allMatch(line -> forbidden.matcher(line).find());
    for (Path script : List.of(Entrypoint.SCRIPT, Entrypoint.HOOK)) {
      assertThat(code(script)).as(script.getFileName().toString())
          .noneMatch(line -> forbidden.matcher(line).find());
    }
  }

  @Test
  void secretsAreNeverPassedAsArguments() throws Exception {
    String script = String.join("\n", code(Entrypoint.SCRIPT));
    assertThat(script).doesNotContain("--token", "--jitconfig", "--pat");
    assertThat(script).contains("ACTIONS_RUNNER_INPUT_TOKEN=$REG_TOKEN \"$RUNNER_HOME_DIR/config.sh\"");
  }

  @Test
  void theScriptsReadEveryVariableOfTheContract() throws Exception {
    String scripts = Files.readString(Entrypoint.SCRIPT) + Files.readString(Entrypoint.HOOK);
    for (Field field : RunnerEnvironment.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        assertThat(scripts).as("entrypoint.sh or job-started.sh uses %s", field.getName())
            .contains((String) field.get(null));
      }
    }
  }
}
