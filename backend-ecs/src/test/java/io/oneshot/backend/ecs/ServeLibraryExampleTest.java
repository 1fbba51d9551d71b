package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.pool.RunnerPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * {@code docs/serve.md}'s Java example is a program that compiles and serves: the test compiles its java block
 * as written and runs its {@code launcher} and {@code start} against the fake GitHub with its scale-set service
 * and the fake ECS, queues two jobs, and checks they ran on two tasks and that closing the pool deleted its session.
 */
class ServeLibraryExampleTest {
  @TempDir Path directory;

  @Test
  void theDocumentedPoolServesJobsOnEcsAndClosesItsSession() throws Exception {
    DocsJava.compile("serve.md", "ServeRunners", directory);

    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(81).build();
        FakeScaleSetService service = FakeScaleSetService.builder(github).longPollHold(Duration.ofMillis(20))
            .runJobs(Duration.ofSeconds(30)).build();
        FakeEcs ecs = FakeEcs.builder().github(github).clock(clock).seed(82).build();
        EcsClient client = EcsClient.builder().endpointOverride(ecs.endpoint()).region(Region.US_EAST_1).build();
        URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL()},
            getClass().getClassLoader())) {
      github.addOrganization("octo-org");
      ecs.addCluster("runners");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot-runner", "runner", "ghcr.io/oneshot/runner:1"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-01234567", "us-east-1a", Map.of());
      Class<?> example = loader.loadClass("ServeRunners");
      Method launcher = example.getDeclaredMethod("launcher", EcsClient.class, Clock.class);
      Method start = example.getDeclaredMethod("start", URI.class, String.class, EcsRunnerLauncher.class, Clock.class);
      launcher.setAccessible(true);
      start.setAccessible(true);
      PrintStream stdout = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      try (EcsRunnerLauncher ecsLauncher = (EcsRunnerLauncher) launcher.invoke(null, client, clock)) {
        RunnerPool pool;
        try {
          System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
          pool = (RunnerPool) start.invoke(null, github.apiUrl(), github.issueToken(), ecsLauncher, clock);
        } finally {
          System.setOut(stdout);
        }
        try (pool) {
          assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualToIgnoringNewLines("runs-on: ci-private");
          long id = service.scaleSetId("ci-private").orElseThrow();
          assertThat(service.labels(id)).containsExactly("ci-private", "linux");
          long first = service.enqueueJob(id);
          long second = service.enqueueJob(id);
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (service.jobState(first) != JobState.COMPLETED || service.jobState(second) != JobState.COMPLETED) {
            assertThat(System.nanoTime()).as("jobs done within 10 s").isLessThan(deadline);
            Thread.sleep(20);
            clock.advance(Duration.ofSeconds(5));
          }
          assertThat(ecs.tasks()).hasSize(2);
          assertThat(pool.leader()).isTrue();
        }
        assertThat(service.sessionOwner(service.scaleSetId("ci-private").orElseThrow())).isEmpty();
      }
    }
  }
}
