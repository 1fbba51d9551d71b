package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's essentials, checked here because no Dockerfile linter installs on this machine:
 * a base pinned to a version, a non-root user, an exec-form entrypoint at the copied script, no
 * secret in ENV or ARG.
 */
class DockerfileTest {
  record Instruction(String keyword, String arguments) {}

  static List<Instruction> instructions;

  @BeforeAll
  static void parse() throws IOException {
    instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(Entrypoint.IMAGE_DIR.resolve("Dockerfile"))) {
      String trimmed = line.strip();
      if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().strip();
      int space = text.indexOf(' ');
      instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
      current.setLength(0);
    }
  }

  static List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  @Test
  void theBaseIsTheOfficialRunnerImagePinnedToAVersion() {
    List<Instruction> from = all("FROM");
    assertThat(from).hasSize(1);
    assertThat(from.get(0).arguments())
        .matches("ghcr\\.io/actions/actions-runner:\\d+\\.\\d+\\.\\d+(@sha256:[0-9a-f]{64})?");
  }

  @Test
  void itRunsAsTheRunnerUserNotRoot() {
    List<Instruction> users = all("USER");
    assertThat(users).isNotEmpty();
    assertThat(users.get(users.size() - 1).arguments()).isIn("1001", "runner", "1001:1001", "runner:runner");
  }

  @Test
  void theEntrypointIsExecFormAndPointsAtTheCopiedScript() {
    List<Instruction> entrypoints = all("ENTRYPOINT");
    assertThat(entrypoints).hasSize(1);
    Matcher exec = Pattern.compile("\\[\\s*\"([^\"]+)\"\\s*]").matcher(entrypoints.get(0).arguments());
    assertThat(exec.matches()).as("exec form, a JSON array: %s", entrypoints.get(0).arguments()).isTrue();
    String path = exec.group(1);
    assertThat(path).endsWith("/entrypoint.sh");
    String folder = path.substring(0, path.lastIndexOf('/') + 1);
    assertThat(all("COPY")).anySatisfy(copy -> {
      assertThat(copy.arguments()).contains("entrypoint.sh", "job-started.sh", "--chmod=0755");
      assertThat(copy.arguments()).endsWith(" " + folder);
    });
    assertThat(all("CMD")).isEmpty();
  }

  @Test
  void theHookIsOutsideTheRunnersFolder() {
    // GitHub asks that hook scripts do not live in the runner application folder.
    assertThat(all("COPY")).noneMatch(copy -> copy.arguments().contains("/home/runner"));
  }

  @Test
  void noSecretIsBakedIntoTheImage() {
    Pattern secretish = Pattern.compile("(?i)(token|secret|password|passwd|jitconfig|private_?key|credential)");
    for (String keyword : List.of("ENV", "ARG", "LABEL")) {
      assertThat(all(keyword)).as(keyword).noneMatch(i -> secretish.matcher(i.arguments()).find());
    }
    assertThat(instructions).noneMatch(i -> i.keyword().equals("ADD"));
  }

  @Test
  void theScriptsAreExecutableInTheCheckoutToo() {
    assertThat(Files.isExecutable(Entrypoint.SCRIPT)).isTrue();
    assertThat(Files.isExecutable(Entrypoint.HOOK)).isTrue();
  }
}
