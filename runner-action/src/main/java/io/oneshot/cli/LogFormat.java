package io.oneshot.cli;

import java.util.Locale;

/**
 * How the CLI's log lines on stderr look: {@link #TEXT} ({@code HH:mm:ss.SSS LEVEL logger - message}) or
 * {@link #JSON} (one JSON object per line). Chosen at start-up by {@code ONESHOT_LOG_FORMAT} or
 * {@code -Doneshot.log.format}, or at run time by {@link LogSetup#use(LogFormat)}. Values only; nothing blocks.
 */
public enum LogFormat {
  /** Human-readable lines, the default. */
  TEXT,
  /** One JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code thread}, {@code message}, {@code exception}. */
  JSON;

  /**
   * The format named {@code text} or {@code json} (any case, surrounding blanks ignored), as an option or
   * variable spells it. Pure function.
   *
   * @throws IllegalArgumentException for any other name (the message quotes it: it is a format's name, not a secret)
   */
  public static LogFormat parse(String name) {
    String normalized = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    return switch (normalized) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("log format must be text or json, not '" + name + "'");
    };
  }

  /** The name {@link #parse} reads back: {@code text} or {@code json}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
