package io.oneshot.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One log event as a text line, {@code HH:mm:ss.SSS LEVEL logger - message} (local time, the level padded to five
 * characters), followed by the stack trace on its own lines when the event carries one: what logback's pattern
 * {@code %d{HH:mm:ss.SSS} %-5level %logger - %msg%n} prints. Written by hand rather than with logback's
 * PatternLayout because that class's converter registry and pattern compiler cost about 60 ms of the CLI's start-up
 * on a JVM without a class-data-sharing archive. Thread-safe; does not block.
 */
final class TextLogLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    TIME.formatTo(event.getInstant(), line);
    String level = event.getLevel().toString();
    line.append(' ').append(level);
    for (int pad = level.length(); pad < 5; pad++) {
      line.append(' ');
    }
    line.append(' ').append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage())
        .append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown));
    }
    return line.toString();
  }
}
