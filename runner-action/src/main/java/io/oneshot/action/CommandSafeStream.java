package io.oneshot.action;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A stream for stderr in Actions mode, where nothing oneshot prints is meant to be a workflow command:
 * every line is passed through {@link WorkflowCommands#neutralizeLineStart} and has {@code ##[}
 * escaped, so a stop reason or error message with line breaks in it cannot start one, whichever code
 * path printed it. Works line by line (a flush passes a partial line on); thread-safe.
 */
final class CommandSafeStream extends OutputStream {
  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean atLineStart = true;

  private CommandSafeStream(PrintStream target) {
    this.target = target;
  }

  /** {@code target} wrapped, UTF-8, flushing on every line; the same stream when already wrapped. */
  static PrintStream wrap(PrintStream target) {
    if (target instanceof Wrapped) {
      return target;
    }
    return new Wrapped(new CommandSafeStream(target));
  }

  /** Marks a stream that is already safe. */
  private static final class Wrapped extends PrintStream {
    Wrapped(CommandSafeStream out) {
      super(out, true, StandardCharsets.UTF_8);
    }
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void flush() {
    if (line.size() > 0) {
      emit();
    }
    target.flush();
  }

  @Override
  public synchronized void close() {
    flush();
  }

  private void emit() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    String safe = text.replace("##[", "##%5B");
    if (atLineStart) {
      safe = WorkflowCommands.neutralizeLineStart(safe);
    }
    atLineStart = text.endsWith("\n");
    byte[] bytes = safe.getBytes(StandardCharsets.UTF_8);
    target.write(bytes, 0, bytes.length);
    if (atLineStart) {
      target.flush();
    }
  }

  @Override
  public String toString() {
    return "CommandSafeStream[" + target + "]";
  }

}
