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

  static String escapeProperty(String text) {
    return escapeData(text).replace(":", "%3A").replace(",", "%2C");
  }

  static String escapeData(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }
}
