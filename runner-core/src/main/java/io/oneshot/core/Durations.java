package io.oneshot.core;

import java.time.Duration;

/**
 * Formats durations the way the action's inputs are written ({@code 90s}, {@code 1h30m},
 * {@code 168h}), for messages that quote a value or a range. Pure functions: never block, idempotent.
 */
public final class Durations {
  private Durations() {}

  /**
   * {@code 1h30m}, {@code 10s}, {@code 168h}, {@code 0s}: hours, minutes and seconds, zero parts left out;
   * a fraction of a second as {@code ms}; a negative value with a leading {@code -}.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    int millis = duration.toMillisPart();
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0) {
      text.append(seconds).append('s');
    }
    if (millis > 0) {
      text.append(millis).append("ms");
    }
    return text.length() == 0 ? "0s" : text.toString();
  }
}
