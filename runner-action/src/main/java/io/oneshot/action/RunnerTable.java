package io.oneshot.action;

import io.oneshot.core.BatchResult;
import io.oneshot.core.RunnerOutcome;
import io.oneshot.spi.LaunchedRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runners of a batch as rows (runner, GitHub id, state, container, IP, console link, seconds to
 * online), rendered as a Markdown table for the step summary or as aligned text for a terminal. Cells
 * carry cloud text (a stop reason): line breaks never reach the output, and the text form is escaped
 * so that no line can start a workflow command.
 * Stateless apart from its rows.
 */
public final class RunnerTable {
  private static final List<String> HEADER = List.of("runner", "GitHub id", "state", "container", "IP", "console",
      "online after");
  private final List<List<String>> rows = new ArrayList<>();
  private final String title;

  public RunnerTable(BatchResult batch, String backend) {
    this.title = "oneshot: " + batch.runners().size() + " runner(s) on " + backend + ", label `" + batch.batchLabel() + "`";
    for (RunnerOutcome runner : batch.runners()) {
      rows.add(List.of(runner.runnerName(),
          runner.githubRunnerId().isPresent() ? Long.toString(runner.githubRunnerId().getAsLong()) : "",
          runner.kind().name().toLowerCase(Locale.ROOT) + (runner.reason().isEmpty() ? "" : ": " + runner.reason()),
          runner.container().map(LaunchedRunner::resourceId).orElse(""),
          runner.container().flatMap(LaunchedRunner::privateIp).orElse(""),
          runner.container().flatMap(LaunchedRunner::consoleUrl).map(Object::toString).orElse(""),
          runner.timeToOnline().map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).orElse("")));
    }
  }

  /** GitHub-flavoured Markdown, with a link for the console column. */
  public String markdown() {
    StringBuilder text = new StringBuilder("### ").append(title).append("\n\n| ")
        .append(String.join(" | ", HEADER)).append(" |\n|").append(" --- |".repeat(HEADER.size())).append('\n');
    for (List<String> row : rows) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i).replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace("|", "\\|");
        cells.add(i == 5 && !cell.isEmpty() ? "[open](" + cell + ")" : cell);
      }
      text.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    return text.toString();
  }

  /** Aligned plain text for a terminal (the console link left out). */
  public String text() {
    int[] widths = new int[HEADER.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(HEADER);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], Math.min(WorkflowCommands.escapeText(row.get(i)).length(), 60));
      }
    }
    StringBuilder text = new StringBuilder(title).append('\n');
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        if (i == 5) {
          continue;
        }
        String escaped = WorkflowCommands.escapeText(row.get(i));
        String cell = escaped.length() > 60 ? escaped.substring(0, 57) + "..." : escaped;
        line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s  ", cell));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
