package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the action image's build steps outside Docker (there is no Docker engine here): jlink with
 * the module list the Dockerfile uses, a CDS archive trained on the demo, then the demo on that
 * runtime with the archive required ({@code -Xshare:on}). Proves the module list is complete.
 */
class RuntimeImageIT {
  private static final Path TARGET = Path.of("target");
  private static final Path JAR = TARGET.resolve("oneshot-demo.jar");
  private static final Path JRE = TARGET.resolve("it-jre");
  private static final Path ARCHIVE = TARGET.resolve("it-oneshot.jsa");

  @BeforeAll
  static void buildRuntime() throws Exception {
    assertThat(JAR).exists();
    deleteRecursively(JRE);
    Files.deleteIfExists(ARCHIVE);
    String modules = Files.readString(Path.of("..", "runner-action", "jlink-modules.txt")).trim();
    String jlink = Path.of(System.getProperty("java.home"), "bin", "jlink").toString();
    Result linked = run(List.of(jlink, "--add-modules", modules, "--strip-debug", "--no-man-pages",
        "--no-header-files", "--compress=2", "--generate-cds-archive", "--output", JRE.toString()));
    assertThat(linked.code()).as(linked.output()).isZero();
  }

  @Test
  void theDemoRunsOnTheLinkedRuntimeWithATrainedArchive() throws Exception {
    String java = JRE.resolve("bin").resolve("java").toString();
    Result training = run(List.of(java, "-XX:ArchiveClassesAtExit=" + ARCHIVE, "-jar", JAR.toString(),
        "--count", "1"));
    assertThat(training.code()).as(training.output()).isZero();
    assertThat(ARCHIVE).exists();

    Result withArchive = run(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE, "-XX:TieredStopAtLevel=1",
        "-jar", JAR.toString(), "--count", "1"));
    Result withoutArchive = run(List.of(java, "-Xshare:off", "-jar", JAR.toString(), "--count", "1"));

    assertThat(withArchive.code()).as(withArchive.output()).isZero();
    assertThat(withArchive.output()).contains("left behind: 0 registered runner(s), 0 running container(s)");
    System.out.printf("demo --count 1 on the linked runtime: %d ms with the CDS archive, %d ms without%n",
        withArchive.millis(), withoutArchive.millis());
  }

  @Test
  void theRuntimeHasOnlyTheListedModules() throws Exception {
    Result modules = run(List.of(JRE.resolve("bin").resolve("java").toString(), "--list-modules"));
    List<String> listed = modules.output().lines().map(line -> line.replaceAll("@.*", "")).toList();

    assertThat(listed).contains("java.net.http", "jdk.httpserver", "jdk.crypto.ec").doesNotContain("java.compiler.x",
        "jdk.jshell", "java.rmi");
  }

  private record Result(int code, String output, long millis) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    long started = System.nanoTime();
    Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), output, (System.nanoTime() - started) / 1_000_000);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.exists(path)) {
      try (var files = Files.walk(path)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }
}
