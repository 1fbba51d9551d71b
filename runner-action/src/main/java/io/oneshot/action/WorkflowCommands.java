package io.oneshot.action;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes GitHub Actions workflow commands to stdout: {@code ::add-mask::} (each value once; a
 * multi-line secret line by line), {@code ::error}, {@code ::warning}, {@code ::debug}, escaped as
 * the Actions toolkit does. Thread-safe.
 */
public final class WorkflowCommands {
  private final PrintStream out;
  private final Set<String> masked = ConcurrentHashMap.newKeySet();

  public WorkflowCommands(PrintStream out) {
    this.out = out;
  }

  /** Masks a secret in all later log output; idempotent per value. */
  public void mask(String secret) {
    if (secret == null) {
      return;
    }
    for (String line : secret.split("\\r?\\n")) {
      String value = line.trim();
      if (!value.isEmpty() && masked.add(value)) {
        synchronized (out) {
          out.println("::add-mask::" + escapeData(value));
          out.flush();
        }
      }
    }
  }

  /** An error annotation titled {@code oneshot}. */
  public void error(String message) {
    command("error", message);
  }

  /**
   * An error annotation about one input, titled {@code oneshot input NAME}, so each bad input gets its
   * own annotation.
   */
  public void inputError(String input, String message) {
    command("error", "oneshot input " + input, message);
  }

  /** A warning annotation titled {@code oneshot}. */
  public void warning(String message) {
    command("warning", message);
  }

  private void command(String kind, String message) {
    command(kind, "oneshot", message);
  }

  private void command(String kind, String title, String message) {
    synchronized (out) {
      out.println("::" + kind + " title=" + escapeProperty(title) + "::" + escapeData(message));
      out.flush();
    }
  }

  /**
   * Text from users or clouds (runner names, stop reasons, event messages, errors) made safe to print as
   * part of a plain log line on stdout or stderr in Actions mode. The runner parses workflow commands on
   * both streams (actions/runner: ContainerActionHandler and ScriptHandler feed stdout and stderr to the
   * same ActionCommandManager): a line that starts, after blanks, with {@code ::} is a command, and so is
   * one containing {@code ##[} (the older form, matched anywhere in a line). So line breaks become
   * {@code %0D}/{@code %0A}, {@code ##[} becomes {@code ##%5B}, and a leading {@code ::} becomes
   * {@code %3A:}. Null gives {@code ""}.
   */
  public static String escapeText(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replace("\r", "%0D").replace("\n", "%0A").replace("##[", "##%5B");
    return neutralizeLineStart(flat);
  }

  /** A line whose first non-blank characters are {@code ::} gets its first colon escaped. */
  static String neutralizeLineStart(String line) {
    int start = 0;
    while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
      start++;
    }
    return line.startsWith("::", start) ? line.substring(0, start) + "%3A" + line.substring(start + 1) : line;
  }

  static String escapeProperty(String text) {
    return escapeData(text).replace(":", "%3A").replace(",", "%2C");
  }

  /**
   * Command data as the Actions toolkit escapes it ({@code %}, CR, LF): with no line break left, text
   * from a cloud can neither end the command early nor start a new one on a line of its own.
   */
  static String escapeData(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }
}
