package io.oneshot.testkit;

import io.oneshot.fakes.IssuedSecrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaked a secret a fake issued. Around each test it captures {@code System.out} and
 * {@code System.err} (still passing them through), and afterwards scans them, plus every file and text
 * the test registered with {@link #watch(Path)} / {@link #watch(String, Supplier)} (the GitHub output
 * file, the step summary, the streams a test hands to the code under test), for every secret in
 * {@link IssuedSecrets} (tokens, JIT configs, App keys). A failure names the kind of secret and where it
 * appeared, never the secret. Lines that are {@code ::add-mask::} commands are skipped: masking is the
 * one place a secret is meant to be printed, and the runner consumes the line.
 *
 * <p>Use it with {@code @ExtendWith(SecretScan.class)}, or for a whole module through JUnit's extension
 * auto-detection: this jar lists it in {@code META-INF/services}, and a module turns detection on with
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in its test {@code junit-platform.properties}.
 * Tests of one JVM must run one at a time (JUnit's default): the capture is process-wide.
 */
public final class SecretScan implements BeforeEachCallback, AfterEachCallback {
  /** Shorter values (ids, small numbers) would match by chance. */
  private static final int MIN_SECRET_LENGTH = 8;
  private static final Object LOCK = new Object();
  private static Scope current;

  private static final class Scope {
    final PrintStream originalOut = System.out;
    final PrintStream originalErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Map<String, Supplier<String>> watched = new LinkedHashMap<>();
  }

  /**
   * Scans {@code file} too after the current test (if it exists then). A no-op when no scan is active,
   * so fixtures may call it unconditionally.
   */
  public static void watch(Path file) {
    Objects.requireNonNull(file, "file");
    watch("file " + file.getFileName(), () -> {
      try {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Scans the text {@code text} gives after the current test, under {@code name}. A no-op when no scan is active. */
  public static void watch(String name, Supplier<String> text) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    synchronized (LOCK) {
      if (current != null) {
        String key = name;
        for (int i = 2; current.watched.containsKey(key); i++) {
          key = name + " #" + i;
        }
        current.watched.put(key, text);
      }
    }
  }

  /** Whether a scan is running for the current test (so a module can check that auto-detection is on). */
  public static boolean active() {
    synchronized (LOCK) {
      return current != null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Scope scope = new Scope();
    synchronized (LOCK) {
      current = scope;
    }
    System.setOut(new PrintStream(new Tee(scope.originalOut, scope.out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(scope.originalErr, scope.err), true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Scope scope;
    synchronized (LOCK) {
      scope = current;
      current = null;
    }
    if (scope == null) {
      return;
    }
    System.out.flush();
    System.err.flush();
    System.setOut(scope.originalOut);
    System.setErr(scope.originalErr);
    Map<String, Supplier<String>> texts = new LinkedHashMap<>();
    texts.put("System.out", () -> scope.out.toString(StandardCharsets.UTF_8));
    texts.put("System.err", () -> scope.err.toString(StandardCharsets.UTF_8));
    texts.putAll(scope.watched);
    List<String> leaks = leaks(texts, IssuedSecrets.all());
    if (!leaks.isEmpty()) {
      throw new AssertionError("secret hygiene: " + context.getDisplayName() + " leaked "
          + String.join("; ", leaks) + " (values not shown)");
    }
  }

  /**
   * Where each kind of secret appears in the texts: {@code "an installation token in System.err"}.
   * Public for the extension's own tests and for harnesses without JUnit.
   */
  public static List<String> leaks(Map<String, Supplier<String>> texts, Map<String, String> secretsByKind) {
    List<String> found = new ArrayList<>();
    texts.forEach((name, supplier) -> {
      String text = withoutMaskCommands(supplier.get());
      Set<String> kinds = new TreeSet<>();
      secretsByKind.forEach((secret, kind) -> {
        if (secret.length() >= MIN_SECRET_LENGTH && text.contains(secret)) {
          kinds.add(kind);
        }
      });
      kinds.forEach(kind -> found.add(article(kind) + " " + kind + " in " + name));
    });
    return found;
  }

  private static String withoutMaskCommands(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder kept = new StringBuilder(text.length());
    text.lines().filter(line -> !line.stripLeading().startsWith("::add-mask::"))
        .forEach(line -> kept.append(line).append('\n'));
    return kept.toString();
  }

  private static String article(String kind) {
    return "aeiouAEIOU".indexOf(kind.charAt(0)) >= 0 ? "an" : "a";
  }

  /** Writes to the original stream and to the capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream original;
    private final ByteArrayOutputStream capture;

    Tee(OutputStream original, ByteArrayOutputStream capture) {
      this.original = original;
      this.capture = capture;
    }

    @Override
    public void write(int b) throws IOException {
      original.write(b);
      synchronized (capture) {
        capture.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      original.write(bytes, offset, length);
      synchronized (capture) {
        capture.write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      original.flush();
    }
  }
}
