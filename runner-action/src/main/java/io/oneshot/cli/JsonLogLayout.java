package io.oneshot.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One log event as one line of JSON: {@code timestamp} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger},
 * {@code thread}, {@code message} (formatted), and {@code exception} (the stack trace as text, lines separated by newlines) only when the event
 * carries one. Nothing else of the event is written (no MDC, markers, key-value pairs or arguments), so the layout
 * adds nothing the caller did not put in the message. Jackson escapes quotes, backslashes and control characters,
 * newlines included, so a line is always one complete JSON object. Thread-safe; does not block.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter line = new StringWriter(160);
    try (JsonGenerator json = JSON.createGenerator(line)) {
      json.writeStartObject();
      json.writeStringField("timestamp", TIMESTAMP.format(event.getInstant()));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        json.writeStringField("exception", ThrowableProxyUtil.asString(thrown).stripTrailing());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return line.append('\n').toString();
  }
}
