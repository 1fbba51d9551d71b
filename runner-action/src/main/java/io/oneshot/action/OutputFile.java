package io.oneshot.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Appends step outputs to the {@code $GITHUB_OUTPUT} file: {@code name=value}, or the
 * {@code name<<DELIMITER} form with a random delimiter for anything multi-line. Blocks on file I/O;
 * not idempotent (each call appends).
 */
public final class OutputFile {
  private final Path file;

  public OutputFile(Path file) {
    this.file = file;
  }

  /** Appends one output. */
  public void set(String name, String value) {
    String entry;
    if (value.contains("\n") || value.contains("\r")) {
      String delimiter = "ONESHOT_" + UUID.randomUUID().toString().replace("-", "");
      entry = name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
    } else {
      entry = name + "=" + value + "\n";
    }
    try {
      Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the step output file " + file, e);
    }
  }
}
