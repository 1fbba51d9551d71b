package io.oneshot.action;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT5M}). Stateless. */
public final class DurationParser {
  private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  /** The accepted forms, for error messages. */
  public static final String FORMS = "a duration such as 90s, 5m, 1h30m or PT5M";

  private DurationParser() {}

  /** The duration, or empty when the text is none of the accepted forms. */
  public static Optional<Duration> parse(String text) {
    String value = text.trim();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
      try {
        return Optional.of(Duration.parse(value.toUpperCase(java.util.Locale.ROOT)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher matcher = SHORT.matcher(value.toLowerCase(java.util.Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    String[] groups = {matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4)};
    Duration[] units = {Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(1)};
    boolean any = false;
    for (int i = 0; i < groups.length; i++) {
      if (groups[i] != null) {
        any = true;
        try {
          total = total.plus(units[i].multipliedBy(Long.parseLong(groups[i])));
        } catch (NumberFormatException | ArithmeticException e) {
          return Optional.empty();
        }
      }
    }
    return any ? Optional.of(total) : Optional.empty();
  }
}
