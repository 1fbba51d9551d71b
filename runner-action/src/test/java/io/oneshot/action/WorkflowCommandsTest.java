package io.oneshot.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final WorkflowCommands commands = new WorkflowCommands(new PrintStream(out, true, StandardCharsets.UTF_8));

  @Test
  void aMultiLineKeyIsMaskedLineByLineOnce() {
    commands.mask("-----BEGIN RSA PRIVATE KEY-----\nAAAA\r\nBBBB\n-----END RSA PRIVATE KEY-----\n");
    commands.mask("AAAA");

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "::add-mask::-----BEGIN RSA PRIVATE KEY-----", "::add-mask::AAAA", "::add-mask::BBBB",
        "::add-mask::-----END RSA PRIVATE KEY-----");
  }

  @Test
  void annotationsAreEscapedLikeTheToolkit() {
    commands.error("100% broken\nsecond line");

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("::error title=oneshot::100%25 broken%0Asecond line\n");
  }

  @Test
  void multiLineOutputsUseADelimiter(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("out");
    OutputFile outputs = new OutputFile(file);

    outputs.set("one", "value");
    outputs.set("many", "a\nb");

    String[] lines = Files.readString(file).split("\n");
    assertThat(lines[0]).isEqualTo("one=value");
    assertThat(lines[1]).startsWith("many<<ONESHOT_");
    assertThat(lines[2]).isEqualTo("a");
    assertThat(lines[3]).isEqualTo("b");
    assertThat(lines[4]).isEqualTo(lines[1].substring("many<<".length()));
  }
}
