package io.oneshot.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs each backend's documented workflow verbatim against the fakes (ECS's from the README and its
 * backend page, Cloud Run's and ACI's from theirs): the start step's
 * {@code with:}, a job on the runner, then the {@code if: always()} stop step's {@code with:} exactly as
 * written (not the start step's inputs). {@code ${{ vars.NAME }}} stands for the fake's value of that
 * input, the token secret for a token of the fake GitHub, and the start job's output for what the
 * start step wrote to {@code $GITHUB_OUTPUT}; any other expression fails the test.
 */
class ReadmeWorkflowTest {
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");
  @TempDir Path directory;

  @ParameterizedTest(name = "{0}: the workflow in {1} under ''{2}'' runs as written")
  @CsvSource({"ecs, README.md, In a workflow", "ecs, docs/backends/ecs.md, In a workflow",
      "cloudrun, docs/backends/cloudrun.md, In a workflow", "aci, docs/backends/aci.md, In a workflow"})
  void theDocumentedWorkflowStartsRunsAJobAndStopsLeavingNothing(String backend, String file, String heading)
      throws Exception {
    JsonNode workflow = workflowUnder(file, heading);
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(51).build();
        DemoCloud cloud = DemoCloud.forBackend(backend, github).orElseThrow()) {
      github.addRepository("octo-org/app");
      String token = github.issueToken();
      Map<String, String> outputs = new HashMap<>();
      int oneshotSteps = 0;
      boolean ranAJob = false;
      for (Iterator<Map.Entry<String, JsonNode>> jobs = workflow.get("jobs").fields(); jobs.hasNext(); ) {
        Map.Entry<String, JsonNode> job = jobs.next();
        if (job.getValue().get("runs-on").toString().contains("self-hosted")) {
          ranAJob |= runJobOnOneRunner(cloud, clock);
          continue;
        }
        for (JsonNode step : job.getValue().get("steps")) {
          if (!step.path("uses").asText().endsWith("/oneshot@v1")) {
            continue;
          }
          oneshotSteps++;
          Map<String, String> inputs = inputs(step.get("with"), cloud, token, outputs);
          Path outputFile = directory.resolve(job.getKey() + "-output");
          Run run = run(cloud, github, clock, inputs, outputFile);
          assertThat(run.code).as(job.getKey() + ": " + run.stderr).isZero();
          outputs.putAll(readOutputs(outputFile));
        }
      }

      assertThat(oneshotSteps).as("oneshot steps in the workflow of " + file).isEqualTo(2);
      assertThat(ranAJob).as("a job ran on a runner").isTrue();
      clock.advance(Duration.ofMinutes(1));
      assertThat(github.runners("repos/octo-org/app")).as("registrations left").isEmpty();
      assertThat(cloud.running()).as("containers left running").isZero();
    }
  }

  /**
   * The first yaml block starting with {@code jobs:} in the {@code ##} section of that file (relative to
   * the repository root) whose heading starts with that text.
   */
  static JsonNode workflowUnder(String file, String heading) throws IOException {
    String markdown = Files.readString(Path.of("..").resolve(file));
    int section = markdown.indexOf("\n## " + heading);
    assertThat(section).as(file + " heading " + heading).isPositive();
    int next = markdown.indexOf("\n## ", section + 4);
    String text = markdown.substring(section, next < 0 ? markdown.length() : next);
    Matcher blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(text);
    while (blocks.find()) {
      if (blocks.group(1).startsWith("jobs:")) {
        return new ObjectMapper(new YAMLFactory()).readTree(blocks.group(1));
      }
    }
    throw new AssertionError("no yaml block starting with jobs: in " + file + " under " + heading);
  }

  private static Map<String, String> inputs(JsonNode with, DemoCloud cloud, String token, Map<String, String> outputs) {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = with.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String value = field.getValue().asText();
      Matcher expression = EXPRESSION.matcher(value);
      if (expression.matches()) {
        String name = expression.group(1);
        if (name.startsWith("secrets.")) {
          value = token;
        } else if (name.startsWith("vars.")) {
          value = Optional.ofNullable(cloud.inputs().get(field.getKey()))
              .orElseThrow(() -> new AssertionError("the fake has no value for input " + field.getKey()));
        } else if (name.matches("needs\\.[a-z-]+\\.outputs\\.[a-z_]+")) {
          value = Optional.ofNullable(outputs.get(name.substring(name.lastIndexOf('.') + 1)))
              .orElseThrow(() -> new AssertionError("no step output " + name));
        } else {
          throw new AssertionError("the test does not know the expression " + value);
        }
      }
      inputs.put(field.getKey(), value);
    }
    return inputs;
  }

  /** The job of the middle step: one runner of the batch takes it, runs it and is gone (ephemeral). */
  private static boolean runJobOnOneRunner(DemoCloud cloud, TestClock clock) {
    for (String container : cloud.containers()) {
      Optional<SimulatedRunner> runner = cloud.runner(container);
      if (runner.isPresent()) {
        runner.get().acceptJob();
        clock.advance(Duration.ofSeconds(30));
        runner.get().finishJob();
        return true;
      }
    }
    return false;
  }

  private record Run(int code, String stderr) {}

  private static Run run(DemoCloud cloud, FakeGitHub github, TestClock clock, Map<String, String> inputs,
      Path outputFile) {
    Map<String, String> environment = Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "octo-org/app",
        "GITHUB_API_URL", github.apiUrl().toString(), "GITHUB_OUTPUT", outputFile.toString(),
        "GITHUB_RUN_ID", "4242");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RunContext context = new RunContext(environment, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), true,
        FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(8)), List.of(cloud.provider()));
    int code = new OneshotRun(context).run(inputs);
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> readOutputs(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    if (Files.exists(file)) {
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      for (String line : lines) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          values.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    }
    return values;
  }
}
