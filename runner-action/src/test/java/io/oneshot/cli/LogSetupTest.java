package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/** The CLI's log lines on stderr: text by default, JSON on request at start-up or at run time. */
class LogSetupTest {
  private static final Logger LOG = LoggerFactory.getLogger(LogSetupTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path directory;

  @AfterEach
  void backToText() {
    LogSetup.use(LogFormat.TEXT);
    MDC.clear();
  }

  @Test
  void jsonLineCarriesTimestampLevelLoggerThreadAndMessage() throws Exception {
    assertThat(LogSetup.use(LogFormat.JSON)).isTrue();
    Instant before = Instant.now().minusMillis(1);

    String printed = stderrOf(() -> LOG.info("runner {} is {}", "dev-1", "online"));

    assertThat(printed).endsWith("\n");
    assertThat(printed.lines()).hasSize(1);
    JsonNode line = JSON.readTree(printed);
    assertThat(fieldNames(line)).containsExactly("timestamp", "level", "logger", "thread", "message");
    assertThat(Instant.parse(line.get("timestamp").asText())).isBetween(before, Instant.now());
    assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger").asText()).isEqualTo(LogSetupTest.class.getName());
    assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.get("message").asText()).isEqualTo("runner dev-1 is online");
  }

  @Test
  void quotesNewlinesAndAnExceptionStayOneValidJsonLine() throws Exception {
    LogSetup.use(LogFormat.JSON);
    String message = "he said \"stop\"\nthen\r\n::warning::left\ttab \\ back \u0001 é";
    IllegalStateException thrown = new IllegalStateException("boom\n\"quoted\"", new RuntimeException("cause"));

    String printed = stderrOf(() -> LOG.warn(message, thrown));

    assertThat(printed.lines()).hasSize(1);
    JsonNode line = JSON.readTree(printed);
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("message").asText()).isEqualTo(message);
    assertThat(line.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom\n\"quoted\"")
        .contains("at io.oneshot.cli.LogSetupTest").contains("Caused by: java.lang.RuntimeException: cause");
  }

  @Test
  void textIsTheDefaultLine() {
    LogSetup.use(LogFormat.TEXT);

    String printed = stderrOf(() -> {
      LOG.info("runner {} online", "dev-1");
      LOG.debug("not at INFO");
    });

    assertThat(printed).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  io\\.oneshot\\.cli\\.LogSetupTest"
        + " - runner dev-1 online\\R");
  }

  @Test
  void switchingAtRunTimeChangesLoggersThatAlreadyExistAndIsIdempotent() throws Exception {
    Logger early = LoggerFactory.getLogger("io.oneshot.pool.Early");

    String printed = stderrOf(() -> {
      early.info("first");
      assertThat(LogSetup.use(LogFormat.JSON)).isTrue();
      assertThat(LogSetup.use(LogFormat.JSON)).isTrue();
      early.info("second");
      LogSetup.use(LogFormat.TEXT);
      LogSetup.use(LogFormat.TEXT);
      early.info("third");
    });

    List<String> lines = printed.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).endsWith(" INFO  io.oneshot.pool.Early - first");
    assertThat(JSON.readTree(lines.get(1)).get("message").asText()).isEqualTo("second");
    assertThat(lines.get(2)).endsWith(" INFO  io.oneshot.pool.Early - third");
  }

  @Test
  void aSwitchDuringConcurrentLoggingWritesEveryLineOnceAndWhole() throws Exception {
    int threads = 4;
    int perThread = 300;
    String printed = stderrOf(() -> {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread writer = new Thread(() -> {
          awaitQuietly(go);
          for (int i = 0; i < perThread; i++) {
            LOG.info("writer {} line {}", id, i);
          }
        }, "writer-" + t);
        writer.start();
        writers.add(writer);
      }
      go.countDown();
      for (int i = 0; i < 50; i++) {
        LogSetup.use(i % 2 == 0 ? LogFormat.JSON : LogFormat.TEXT);
      }
      writers.forEach(LogSetupTest::joinQuietly);
    });

    List<String> lines = printed.lines().toList();
    assertThat(lines).hasSize(threads * perThread);
    for (String line : lines) {
      if (line.startsWith("{")) {
        assertThat(JSON.readTree(line).get("message").asText()).matches("writer \\d line \\d+");
      } else {
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  io\\.oneshot\\.cli\\.LogSetupTest - writer \\d line \\d+");
      }
    }
  }

  @Test
  void theLayoutAddsNothingTheMessageDidNotSay() throws Exception {
    String secret = "ghp_" + "Q2x1ZXNzZWNyZXR2YWx1ZTEyMzQ1Njc4OTAx";
    MDC.put("token", secret);
    LogSetup.use(LogFormat.JSON);

    String json = stderrOf(() -> LOG.atInfo().addMarker(MarkerFactory.getMarker(secret)).addKeyValue("token", secret)
        .addArgument(secret).log("registered the runner"));
    LogSetup.use(LogFormat.TEXT);
    String text = stderrOf(() -> LOG.atInfo().addKeyValue("token", secret).log("registered the runner"));

    assertThat(json).doesNotContain(secret).contains("registered the runner");
    assertThat(fieldNames(JSON.readTree(json))).containsExactly("timestamp", "level", "logger", "thread", "message");
    assertThat(text).doesNotContain(secret).endsWith(" - registered the runner" + System.lineSeparator());
  }

  @Test
  void aResetContextIsSetUpAgainByUse() throws Exception {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).reset();
    // With no appender logback says so once, on stderr (its status listener), and the line itself goes nowhere.
    assertThat(stderrOf(() -> LOG.info("lost: no appender after a reset"))).doesNotContain("lost")
        .startsWith("oneshot: logging warning: No appenders present");

    LogSetup.use(LogFormat.JSON);
    String printed = stderrOf(() -> {
      LOG.debug("below INFO");
      LOG.info("back");
    });

    assertThat(printed.lines()).hasSize(1);
    assertThat(JSON.readTree(printed).get("message").asText()).isEqualTo("back");
  }

  @Test
  void theStartupFormatComesFromThePropertyThenTheVariable() {
    assertThat(LogSetup.startupFormat(null, Map.of())).isEqualTo(new LogSetup.Choice(LogFormat.TEXT, null));
    assertThat(LogSetup.startupFormat(null, Map.of("ONESHOT_LOG_FORMAT", "json")).format()).isEqualTo(LogFormat.JSON);
    assertThat(LogSetup.startupFormat(" JSON ", Map.of()).format()).isEqualTo(LogFormat.JSON);
    assertThat(LogSetup.startupFormat("text", Map.of("ONESHOT_LOG_FORMAT", "json")).format()).isEqualTo(LogFormat.TEXT);
    assertThat(LogSetup.startupFormat("", Map.of("ONESHOT_LOG_FORMAT", "json")).format()).isEqualTo(LogFormat.JSON);

    LogSetup.Choice unknown = LogSetup.startupFormat(null, Map.of("ONESHOT_LOG_FORMAT", "yaml"));
    assertThat(unknown.format()).isEqualTo(LogFormat.TEXT);
    assertThat(unknown.problem()).contains("ONESHOT_LOG_FORMAT").contains("'yaml'");
    assertThatThrownBy(() -> LogFormat.parse("xml")).isInstanceOf(IllegalArgumentException.class);
    assertThat(LogFormat.parse(LogFormat.JSON.toString())).isEqualTo(LogFormat.JSON);
  }

  @Test
  void aFreshJvmWithTheVariableLogsJsonOnStderrAndNothingOfLogbackItself() throws Exception {
    Child json = child(Map.of("ONESHOT_LOG_FORMAT", "json"));
    assertThat(json.stdout()).isEmpty();
    List<String> lines = json.stderr().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines.get(0)).get("message").asText()).isEqualTo("from the child");
    assertThat(JSON.readTree(lines.get(1)).get("exception").asText()).startsWith("java.io.IOException: child");

    Child text = child(Map.of());
    assertThat(text.stdout()).isEmpty();
    assertThat(text.stderr().lines().toList()).hasSizeGreaterThan(2).first().asString()
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  io\\.oneshot\\.cli\\.LogSetupTest\\$ChildMain - from the child");
    assertThat(text.stderr()).contains("WARN  io.oneshot.cli.LogSetupTest$ChildMain - failed\n")
        .contains("java.io.IOException: child").doesNotContain("logback").doesNotContain("|-INFO");

    Child unknown = child(Map.of("ONESHOT_LOG_FORMAT", "yaml"));
    assertThat(unknown.stdout()).isEmpty();
    assertThat(unknown.stderr().lines().findFirst().orElseThrow())
        .contains("WARN  io.oneshot.cli.LogSetup - ONESHOT_LOG_FORMAT: log format must be text or json, not 'yaml'");
  }

  /** What {@link #child} runs in a JVM of its own: one INFO line and one WARN with a stack trace. */
  static final class ChildMain {
    public static void main(String[] args) {
      Logger log = LoggerFactory.getLogger(ChildMain.class);
      log.info("from the child");
      log.warn("failed", new java.io.IOException("child"));
    }
  }

  private record Child(String stdout, String stderr) {}

  private Child child(Map<String, String> extra) throws Exception {
    Path out = Files.createTempFile(directory, "child", ".out");
    Path err = Files.createTempFile(directory, "child", ".err");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ChildMain.class.getName())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove(LogSetup.FORMAT_VARIABLE);
    builder.environment().putAll(extra);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    return new Child(Files.readString(out), Files.readString(err));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** What the action writes to System.err (where the appender writes) while {@code action} runs. */
  private static String stderrOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.err.flush();
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
