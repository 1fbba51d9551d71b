package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.FleetOptions;
import io.oneshot.core.StopAction;
import io.oneshot.core.StopReport;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * {@code docs/library.md}'s example is a program that compiles and works: the test takes its java block as
 * written, compiles it against this module's class path, and runs it against the fake GitHub and the fake
 * ECS (the example's own {@code EcsClient} pointed at the fake), then checks that three runners came and went.
 */
class LibraryExampleTest {
  @TempDir Path directory;

  @Test
  void theDocumentedExampleCompilesStartsThreeRunnersAndStopsThem() throws Exception {
    DocsJava.compile("library.md", "StartRunners", directory);

    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(71).build();
        FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(72).build();
        EcsClient client = EcsClient.builder().endpointOverride(ecs.endpoint()).region(Region.US_EAST_1).build();
        URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL()},
            getClass().getClassLoader())) {
      github.addRepository("octo-org/app");
      ecs.addCluster("runners");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot-runner", "runner", "ghcr.io/oneshot/runner:1"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-01234567", "us-east-1a", Map.of());
      Method run = loader.loadClass("StartRunners").getDeclaredMethod("run", URI.class, String.class,
          EcsClient.class, FleetOptions.class);
      run.setAccessible(true);
      PrintStream stdout = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      StopReport stopped;
      try {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        stopped = (StopReport) run.invoke(null, github.apiUrl(), github.issueToken(), client,
            FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(3)));
      } finally {
        System.setOut(stdout);
      }

      assertThat(printed.toString(StandardCharsets.UTF_8))
          .matches("(?s)runs-on: \\[self-hosted, Linux, X64, ephemeral, dev, dev-[a-z0-9]{16}\\]\\s*");
      assertThat(stopped.runners()).hasSize(3).allMatch(r -> r.action() == StopAction.STOPPED);
      assertThat(ecs.tasks()).hasSize(3);
      clock.advance(Duration.ofMinutes(1));
      ecs.poll();
      assertThat(github.runners("repos/octo-org/app")).isEmpty();
      assertThat(ecs.tasks()).allMatch(task -> task.lastStatus().equals("STOPPED"));
      assertThat(ecs.rejectedRequests()).isEmpty();
    }
  }
}
