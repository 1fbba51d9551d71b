package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles the one java block of a docs page, as written, against this module's test class path. */
final class DocsJava {
  private DocsJava() {}

  /** Compiles {@code docs/<page>}'s java block as {@code <className>.java} into {@code directory}. */
  static void compile(String page, String className, Path directory) throws IOException {
    String markdown = Files.readString(Path.of("..", "docs", page));
    List<String> found = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(markdown).results()
        .map(match -> match.group(1)).toList();
    assertThat(found).as("java blocks in docs/" + page).hasSize(1);
    Path file = directory.resolve(className + ".java");
    Files.writeString(file, found.get(0));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int compiled = compiler.run(null, null, diagnostics, "--release", "17", "-d", directory.toString(),
        "-cp", System.getProperty("java.class.path"), file.toString());
    assertThat(compiled).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
  }
}
