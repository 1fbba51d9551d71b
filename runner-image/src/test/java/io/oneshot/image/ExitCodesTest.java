package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.spi.FailureKind;
import io.oneshot.spi.RunnerExitCodes;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exit codes live in three places (the script, RunnerExitCodes, the README table); they agree. */
class ExitCodesTest {
  @Test
  void theScriptsCodesAreTheJavaConstants() throws Exception {
    Map<String, Integer> script = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^readonly EXIT_([A-Z_]+)=(\\d+)$").matcher(Files.readString(Entrypoint.SCRIPT));
    while (m.find()) {
      script.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    Map<String, Integer> java = javaConstants();

    assertThat(script).isNotEmpty();
    script.forEach((name, code) -> assertThat(java).containsEntry(name, code));
    assertThat(java.keySet()).filteredOn(name -> !name.startsWith("SIG"))
        .containsExactlyInAnyOrderElementsOf(script.keySet());
  }

  @Test
  void theScriptsSignalCodesAreTheJavaConstants() throws Exception {
    assertThat(signalExitCode("TERM")).isEqualTo(RunnerExitCodes.SIGTERM);
    assertThat(signalExitCode("INT")).isEqualTo(RunnerExitCodes.SIGINT);
    assertThat(signalExitCode("HUP")).isEqualTo(RunnerExitCodes.SIGHUP);
  }

  @Test
  void theReadmeTableListsEveryCodeWithItsConstantAndFailureKind() throws Exception {
    String readme = Files.readString(Entrypoint.IMAGE_DIR.resolve("README.md"));
    Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| `([A-Z_]+)` \\| [^|]+ \\| ([A-Za-z]+) \\|$").matcher(readme);
    Map<String, Integer> table = new TreeMap<>();
    while (row.find()) {
      int code = Integer.parseInt(row.group(1));
      table.put(row.group(2), code);
      String kind = row.group(3);
      assertThat(RunnerExitCodes.failureKind(code).map(FailureKind::name).orElse("none"))
          .as("failure kind of %s", code).isEqualTo(kind);
    }

    assertThat(table).isEqualTo(javaConstants());
  }

  @Test
  void everyCodeHasAMeaningAndOtherCodesHaveNone() throws Exception {
    for (int code : javaConstants().values()) {
      assertThat(RunnerExitCodes.meaning(code)).as("meaning of %s", code).isPresent();
    }
    assertThat(RunnerExitCodes.meaning(2)).isEmpty();
    assertThat(RunnerExitCodes.meaning(255)).isEmpty();
  }

  @Test
  void onlyABadSetupOrAFailedRegistrationIsAConfigurationFailure() {
    assertThat(RunnerExitCodes.failureKind(RunnerExitCodes.JOB_DONE)).isEmpty();
    assertThat(RunnerExitCodes.failureKind(RunnerExitCodes.INVALID_SETUP)).contains(FailureKind.CONFIGURATION);
    assertThat(RunnerExitCodes.failureKind(RunnerExitCodes.REGISTRATION_FAILED)).contains(FailureKind.CONFIGURATION);
    assertThat(RunnerExitCodes.failureKind(RunnerExitCodes.IDLE_TIMEOUT)).contains(FailureKind.EXITED);
    assertThat(RunnerExitCodes.failureKind(RunnerExitCodes.SIGTERM)).contains(FailureKind.EXITED);
    assertThat(RunnerExitCodes.failureKind(42)).contains(FailureKind.EXITED);
    assertThat(FailureKind.CONFIGURATION.retryable()).isFalse();
  }

  static Map<String, Integer> javaConstants() throws IllegalAccessException {
    Map<String, Integer> constants = new TreeMap<>();
    for (Field field : RunnerExitCodes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        constants.put(field.getName(), field.getInt(null));
      }
    }
    return constants;
  }

  private static int signalExitCode(String signal) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", "source \"$1\"; signal_exit_code \"$2\"", "_",
        Entrypoint.SCRIPT.toString(), signal).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    process.waitFor();
    return Integer.parseInt(out);
  }
}
