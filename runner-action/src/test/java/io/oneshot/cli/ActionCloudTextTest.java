package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop reason from the cloud that tries to inject workflow commands ("\n::add-mask::x\n::set-output
 * ...") reaches the log only escaped: on stdout and stderr (the runner parses both) no line of it can
 * be a command, and the outputs are oneshot's own.
 */
class ActionCloudTextTest {
  private static final String EVIL = "\n::add-mask::x\n::set-output name=runner_id::evil";
  @TempDir Path directory;
  private ActionFixture action;

  @AfterEach
  void close() {
    action.close();
  }

  @Test
  void aStopReasonWithCommandsInItIsPrintedEscaped() {
    action = new ActionFixture(directory);
    action.ecs.faults().stopWhilePendingNext(1, "TaskFailedToStart", "ResourceInitializationError:" + EVIL);

    action.runAction();

    assertThat(action.stderr).as("the reason is shown, escaped").contains("%0A::add-mask::x");
    assertThat(lines(action.stderr)).noneMatch(ActionCloudTextTest::isCommand);
    assertThat(lines(action.stdout)).filteredOn(ActionCloudTextTest::isCommand)
        .noneMatch(line -> line.equals("::add-mask::x") || line.stripLeading().startsWith("::set-output"));
    assertThat(action.outputs().get("runner_id")).isNotEqualTo("evil");
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  private static boolean isCommand(String line) {
    return line.stripLeading().startsWith("::") || line.contains("##[");
  }
}
