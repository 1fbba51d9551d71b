package io.oneshot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logging, configured in code: logback finds this class as its {@link Configurator} service
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) when SLF4J first initialises, so no
 * {@code logback.xml} is looked for or parsed (no XML work at start-up). One console
 * appender writes to stderr (whatever {@link System#err} is when a line is written), root level INFO:
 * <ul>
 *   <li>{@link LogFormat#TEXT}, the default: {@code HH:mm:ss.SSS LEVEL logger - message}, then the stack trace if any;
 *   <li>{@link LogFormat#JSON}: one object per line with {@code timestamp}, {@code level}, {@code logger},
 *       {@code thread}, {@code message} and, when there is one, {@code exception}.
 * </ul>
 * The start-up format is {@code -Doneshot.log.format} if set, else {@code ONESHOT_LOG_FORMAT}, else text; an unknown
 * name logs one warning and keeps text. {@link #use(LogFormat)} switches later (the serve command's
 * {@code --log-format}). Logback's own status messages are never printed on a normal run: only its warnings and
 * errors, and those on stderr (logback's default would print them on stdout, where workflow commands and JSON
 * reports go).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** The environment variable read at start-up: {@code text} or {@code json}. */
  public static final String FORMAT_VARIABLE = "ONESHOT_LOG_FORMAT";
  /** The system property read at start-up, before the variable: {@code text} or {@code json}. */
  public static final String FORMAT_PROPERTY = "oneshot.log.format";

  /** The name of LogSetup's appender on the root logger. */
  static final String APPENDER_NAME = "oneshot-stderr";
  private static final Object LOCK = new Object();

  /** For logback's service loader: logback calls {@link #configure} once, when SLF4J initialises. */
  public LogSetup() {}

  /**
   * Installs the stderr appender on {@code context} in the start-up format (property, then variable, then text)
   * and tells logback to run no other configurator. Called by logback; does not block on anything but the
   * configuration lock.
   */
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Choice choice = startupFormat(System.getProperty(FORMAT_PROPERTY), System.getenv());
    synchronized (LOCK) {
      install(context, choice.format());
    }
    if (choice.problem() != null) {
      context.getLogger(LogSetup.class).warn("{}; logging {}", choice.problem(), choice.format());
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Switches the format of every later log line, for loggers created before or after. Idempotent (the same format
   * again changes nothing) and thread-safe: a line is written whole in one format or the other, none is lost or
   * doubled. Installs the stderr appender afresh (root INFO, replacing root's appenders) if it is not there, e.g.
   * after the logger context was reset. Initialises SLF4J if nothing has yet; does not block otherwise.
   *
   * @return whether the format is now in effect: false if SLF4J is bound to something other than logback
   */
  public static boolean use(LogFormat format) {
    Objects.requireNonNull(format, "format");
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return false;
    }
    synchronized (LOCK) {
      install(context, format);
    }
    return true;
  }

  /** The start-up format and, for an unknown name, why it was not taken. Pure function. */
  static Choice startupFormat(String property, Map<String, String> environment) {
    String source = FORMAT_PROPERTY;
    String name = property;
    if (name == null || name.isBlank()) {
      source = FORMAT_VARIABLE;
      name = environment.get(FORMAT_VARIABLE);
    }
    if (name == null || name.isBlank()) {
      return new Choice(LogFormat.TEXT, null);
    }
    try {
      return new Choice(LogFormat.parse(name), null);
    } catch (IllegalArgumentException e) {
      return new Choice(LogFormat.TEXT, source + ": " + e.getMessage());
    }
  }

  /** A start-up format, and the reason a requested one was not usable (null when there was none). */
  record Choice(LogFormat format, String problem) {}

  /** Sets the format on the installed appender, or installs one. Caller holds {@link #LOCK}. */
  private static void install(LoggerContext context, LogFormat format) {
    reportProblemsOnStderr(context);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> existing = root.getAppender(APPENDER_NAME);
    if (existing instanceof OutputStreamAppender<ILoggingEvent> stream && stream.isStarted()
        && stream.getEncoder() instanceof FormatEncoder encoder) {
      encoder.use(format);
      return;
    }
    FormatEncoder encoder = new FormatEncoder();
    encoder.setContext(context);
    encoder.use(format);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER_NAME);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAndStopAllAppenders();
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  /**
   * Registers (once) the listener that prints logback's warnings and errors on stderr, and prints those already
   * recorded. With a listener registered logback no longer dumps its status list on stdout after a problem.
   */
  private static void reportProblemsOnStderr(LoggerContext context) {
    StatusManager statuses = context.getStatusManager();
    for (StatusListener registered : statuses.getCopyOfStatusListenerList()) {
      if (registered instanceof ProblemsOnStderr) {
        return;
      }
    }
    ProblemsOnStderr listener = new ProblemsOnStderr();
    for (Status recorded : statuses.getCopyOfStatusList()) {
      listener.addStatusEvent(recorded);
    }
    statuses.add(listener);
  }

  /** Prints each logback status of level WARN or ERROR as one line on stderr; ignores INFO. Thread-safe. */
  private static final class ProblemsOnStderr implements StatusListener {
    @Override
    public void addStatusEvent(Status status) {
      if (status.getEffectiveLevel() < Status.WARN) {
        return;
      }
      Throwable thrown = status.getThrowable();
      System.err.println("oneshot: logging " + (status.getEffectiveLevel() >= Status.ERROR ? "error" : "warning")
          + ": " + status.getMessage() + (thrown == null ? "" : " (" + thrown + ")"));
    }

    @Override
    public boolean isResetResistant() {
      return true;
    }
  }

  /**
   * Encodes each event with the layout of the current format, in UTF-8. The layout is one volatile field that each
   * event reads once, so a switch is atomic per line; the JSON layout (and Jackson) is only built once JSON is
   * asked for. Thread-safe.
   */
  private static final class FormatEncoder extends EncoderBase<ILoggingEvent> {
    private TextLogLayout text;
    private JsonLogLayout json;
    private volatile Layout<ILoggingEvent> current;

    /** Makes {@code format} the current one, building its layout the first time. Caller holds {@link #LOCK}. */
    void use(LogFormat format) {
      if (format == LogFormat.JSON) {
        if (json == null) {
          json = started(new JsonLogLayout());
        }
        current = json;
      } else {
        if (text == null) {
          text = started(new TextLogLayout());
        }
        current = text;
      }
    }

    private <L extends Layout<ILoggingEvent>> L started(L layout) {
      layout.setContext(getContext());
      layout.start();
      return layout;
    }

    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
      return current.doLayout(event).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
  }
}
