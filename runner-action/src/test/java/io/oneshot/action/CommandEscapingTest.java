package io.oneshot.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.FleetEvent;
import io.oneshot.core.FleetPhase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cloud and user text printed in Actions mode can never start a workflow command, on either stream. */
class CommandEscapingTest {
  static final String EVIL = "\n::add-mask::x\n::set-output name=runner_id::evil";

  /** What the runner would take for a command: a line starting (after blanks) with :: or containing ##[. */
  static List<String> commandLines(String printed) {
    return printed.lines().filter(line -> line.stripLeading().startsWith("::") || line.contains("##[")).toList();
  }

  @Test
  void plainTextIsFlattenedAndCannotStartACommand() {
    assertThat(WorkflowCommands.escapeText(EVIL)).isEqualTo("%0A::add-mask::x%0A::set-output name=runner_id::evil");
    assertThat(WorkflowCommands.escapeText("  ::warning::x")).isEqualTo("  %3A:warning::x");
    assertThat(WorkflowCommands.escapeText("reason ##[add-mask]x")).isEqualTo("reason ##%5Badd-mask]x");
    assertThat(WorkflowCommands.escapeText("a\r\nb")).isEqualTo("a%0D%0Ab");
    assertThat(WorkflowCommands.escapeText(null)).isEmpty();
  }

  @Test
  void annotationDataWithCloudTextStaysOneLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new WorkflowCommands(new PrintStream(out, true, StandardCharsets.UTF_8)).error("task stopped:" + EVIL + "\r\n%");

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "::error title=oneshot::task stopped:%0A::add-mask::x%0A::set-output name=runner_id::evil%0D%0A%25");
  }

  @Test
  void progressLinesEscapeTheDetailAndTheName() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    new ProgressPrinter(new PrintStream(err, true, StandardCharsets.UTF_8), true)
        .onEvent(new FleetEvent("dev-1" + EVIL, FleetPhase.FAILED, Duration.ofSeconds(3), "stopped:" + EVIL));

    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines()).hasSize(1);
    assertThat(commandLines(printed)).isEmpty();
  }

  @Test
  void stderrInActionsModeNeutralisesEveryLineWhoeverPrintsIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream safe = CommandSafeStream.wrap(new PrintStream(err, true, StandardCharsets.UTF_8));

    safe.println("oneshot: task failed:" + EVIL);
    safe.print("  ::debug::half");
    safe.flush();
    safe.println(" a line ##[warning]x");

    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(commandLines(printed)).isEmpty();
    assertThat(printed).contains("%3A:add-mask::x").contains("%3A:set-output name=runner_id::evil")
        .contains("  %3A:debug::half a line ##%5Bwarning]x");
    assertThat(CommandSafeStream.wrap(safe)).isSameAs(safe);
  }
}
