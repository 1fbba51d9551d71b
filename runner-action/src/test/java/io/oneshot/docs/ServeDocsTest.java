package io.oneshot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/serve.md} and its deployment snippets in {@code docs/serve/} agree with each other and with
 * serve's interface: every snippet parses, every block the page introduces as a file is that file, every
 * {@code oneshot serve} command line uses only serve's own options and the backend's {@code start} options
 * (the inputs {@code action.yml} declares for that backend), and the ECS snippets keep the stop timeout and
 * the owner-tag condition that serve's shutdown and removals rely on.
 */
class ServeDocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path PAGE = ROOT.resolve("docs/serve.md");
  private static final Path SNIPPETS = ROOT.resolve("docs/serve");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * serve's own options as the CLI builds them (the common inputs it reads and its own); the backend's options
   * come from action.yml.
   */
  private static final Set<String> SERVE_OPTIONS = java.util.stream.Stream.concat(
      io.oneshot.action.ServeRequestParser.COMMON.stream(),
      io.oneshot.action.ServeRequestParser.OPTIONS.stream().map(io.oneshot.action.ServeRequestParser.Option::name))
      .map(name -> "--" + name).collect(java.util.stream.Collectors.toUnmodifiableSet());
  private static final Set<String> BACKENDS = Set.of("ecs", "cloudrun", "aci");

  /** {@code File [`docs/serve/NAME`](serve/NAME):}, a blank line, then the fenced block. */
  private static final Pattern FILE_BLOCK = Pattern.compile(
      "^File \\[`docs/serve/([^`]+)`\\]\\(serve/\\1\\):\\n\\n```([a-z]+)\\n(.*?)\\n```$",
      Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern FILE_LINE = Pattern.compile("^File \\[", Pattern.MULTILINE);
  private static final Pattern SH_BLOCK = Pattern.compile("^```sh\\n(.*?)\\n```$", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern INLINE_COMMAND = Pattern.compile("`(oneshot serve [^`]*)`");
  private static final Pattern BACKEND_PREFIX = Pattern.compile("(?:^|; )(ecs|cloudrun|aci): ");

  private static List<Path> snippetFiles() throws IOException {
    try (Stream<Path> files = Files.list(SNIPPETS)) {
      return files.sorted().collect(Collectors.toList());
    }
  }

  private static JsonNode parse(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".json")) {
      return JSON.readTree(file.toFile());
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return YAML.readTree(file.toFile());
    }
    throw new AssertionError("docs/serve/" + name + ": neither JSON nor YAML");
  }

  private static JsonNode snippet(String name) throws IOException {
    return parse(SNIPPETS.resolve(name));
  }

  @Test
  void everySnippetParses() throws IOException {
    List<String> names = new ArrayList<>();
    for (Path file : snippetFiles()) {
      assertThat(parse(file)).as(file.getFileName().toString()).isNotNull();
      assertThat(parse(file).isObject()).as(file.getFileName() + " is an object").isTrue();
      names.add(file.getFileName().toString());
    }
    assertThat(names).contains("ecs-task-definition.json", "ecs-service.json", "ecs-serve-task-role.json",
        "cloudrun-worker-pool.yaml", "cloudrun-service.yaml", "aci-serve.json");
  }

  @Test
  void everyFileBlockInThePageIsThatFileAndEverySnippetIsShown() throws IOException {
    String page = Files.readString(PAGE);
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher matcher = FILE_BLOCK.matcher(page);
    while (matcher.find()) {
      String name = matcher.group(1);
      String extension = name.substring(name.lastIndexOf('.') + 1);
      assertThat(matcher.group(2)).as("fence language of " + name).isEqualTo(extension.equals("yml") ? "yaml" : extension);
      assertThat(blocks.put(name, matcher.group(3))).as(name + " shown twice").isNull();
    }
    long introduced = FILE_LINE.matcher(page).results().count();
    assertThat(blocks).as("every 'File [...]:' line is followed by its block").hasSize((int) introduced);

    Set<String> files = new TreeSet<>();
    for (Path file : snippetFiles()) {
      String name = file.getFileName().toString();
      files.add(name);
      assertThat(blocks).as("docs/serve.md shows docs/serve/" + name).containsKey(name);
      assertThat(blocks.get(name)).as("the block for " + name + " equals the file")
          .isEqualTo(Files.readString(file).stripTrailing());
    }
    assertThat(blocks.keySet()).as("blocks for files that do not exist").isSubsetOf(files);
  }

  @Test
  void everyServeCommandLineUsesOnlyServeAndBackendOptions() throws IOException {
    Map<String, Set<String>> backendOptions = backendOptionsFromActionYml();
    assertThat(backendOptions.keySet()).isEqualTo(BACKENDS);
    assertThat(backendOptions.get("ecs")).contains("--cluster", "--task-definition", "--subnets-tag");

    Map<String, List<String>> commands = new LinkedHashMap<>();
    String page = Files.readString(PAGE);
    Matcher sh = SH_BLOCK.matcher(page);
    int n = 0;
    while (sh.find()) {
      for (String line : sh.group(1).replace("\\\n", " ").split("\n")) {
        if (line.strip().startsWith("oneshot serve")) {
          commands.put("docs/serve.md sh block, command " + (++n), List.of(line.strip().split("\\s+")));
        }
      }
    }
    Matcher inline = INLINE_COMMAND.matcher(page);
    while (inline.find()) {
      commands.put("docs/serve.md `" + inline.group(1) + "`", List.of(inline.group(1).split("\\s+")));
    }
    assertThat(commands).as("command lines in the page").isNotEmpty();

    int fromFiles = 0;
    for (Path file : snippetFiles()) {
      List<List<String>> found = new ArrayList<>();
      collectServeCommands(parse(file), found);
      for (int i = 0; i < found.size(); i++) {
        commands.put("docs/serve/" + file.getFileName() + " command " + (i + 1), found.get(i));
      }
      fromFiles += found.size();
    }
    assertThat(fromFiles).as("serve commands in the ECS, Cloud Run (2) and ACI snippets").isEqualTo(4);

    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> command : commands.entrySet()) {
      List<String> tokens = command.getValue();
      List<String> arguments = tokens.subList(tokens.indexOf("serve") + 1, tokens.size());
      int backendAt = arguments.indexOf("--backend");
      if (backendAt < 0 || backendAt + 1 >= arguments.size() || !BACKENDS.contains(arguments.get(backendAt + 1))) {
        problems.add(command.getKey() + ": no --backend ecs|cloudrun|aci");
        continue;
      }
      Set<String> allowed = new LinkedHashSet<>(SERVE_OPTIONS);
      allowed.addAll(backendOptions.get(arguments.get(backendAt + 1)));
      Set<String> options = arguments.stream().filter(token -> token.startsWith("--"))
          .collect(Collectors.toCollection(LinkedHashSet::new));
      for (String option : options) {
        if (!allowed.contains(option)) {
          problems.add(command.getKey() + ": " + option + " is not a serve option nor a "
              + arguments.get(backendAt + 1) + " setting");
        }
      }
      if (!options.containsAll(List.of("--context", "--scale-set"))) {
        problems.add(command.getKey() + ": --context and --scale-set are required");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theOptionsTableListsExactlyServesOwnOptions() throws IOException {
    String page = Files.readString(PAGE);
    int from = page.indexOf("\n## Options");
    String section = page.substring(from, page.indexOf("\n## ", from + 5));
    Set<String> documented = new TreeSet<>();
    for (String line : section.lines().filter(line -> line.startsWith("| `")).toList()) {
      Matcher names = Pattern.compile("`(--[a-z-]+)`").matcher(line.substring(0, line.indexOf('|', 1)));
      while (names.find()) {
        documented.add(names.group(1));
      }
    }
    assertThat(documented).isEqualTo(new TreeSet<>(SERVE_OPTIONS));
  }

  @Test
  void theEcsTaskGivesServeTimeToDeleteItsSession() throws IOException {
    JsonNode containers = snippet("ecs-task-definition.json").path("containerDefinitions");
    assertThat(containers.size()).isEqualTo(1);
    JsonNode serve = containers.get(0);
    assertThat(serve.path("stopTimeout").asInt()).as("stopTimeout (s)").isBetween(30, 120);
    assertThat(serve.path("command").get(0).asText()).isEqualTo("serve");
    assertThat(serve.path("secrets").findValuesAsText("name")).contains("GITHUB_TOKEN");
    assertThat(serve.path("environment").findValuesAsText("name")).doesNotContain("GITHUB_TOKEN");
    assertThat(serve.path("logConfiguration").path("logDriver").asText()).isEqualTo("awslogs");

    JsonNode service = snippet("ecs-service.json");
    assertThat(service.path("desiredCount").asInt()).isEqualTo(1);
    assertThat(service.path("deploymentConfiguration").path("minimumHealthyPercent").asInt()).isZero();
    assertThat(service.path("deploymentConfiguration").path("maximumPercent").asInt()).isEqualTo(100);
  }

  @Test
  void theEcsRoleStopsOnlyTasksWithTheOwnerTagAndAllowsWhatStartsRoleAllows() throws IOException {
    JsonNode statements = snippet("ecs-serve-task-role.json").path("Statement");
    int stops = 0;
    for (JsonNode statement : statements) {
      if (actions(statement).contains("ecs:StopTask")) {
        stops++;
        assertThat(statement.path("Condition").path("StringEquals").has("aws:ResourceTag/oneshot-owner"))
            .as("StopTask conditioned on aws:ResourceTag/oneshot-owner").isTrue();
      }
    }
    assertThat(stops).isEqualTo(1);

    Set<String> serve = new TreeSet<>();
    statements.forEach(statement -> serve.addAll(actions(statement)));
    Set<String> start = new TreeSet<>();
    JSON.readTree(ROOT.resolve("docs/aws/iam-policy.json").toFile()).path("Statement")
        .forEach(statement -> start.addAll(actions(statement)));
    assertThat(serve).as("serve's task role allows what start/stop/sweep's role allows").isEqualTo(start);
  }

  @Test
  void theCloudRunAndAciSnippetsKeepServeRunningAndTheTokenSecret() throws IOException {
    JsonNode service = snippet("cloudrun-service.yaml").path("spec").path("template");
    JsonNode annotations = service.path("metadata").path("annotations");
    assertThat(annotations.path("run.googleapis.com/cpu-throttling").asText()).isEqualTo("false");
    assertThat(annotations.path("autoscaling.knative.dev/minScale").asText()).isEqualTo("1");
    assertThat(annotations.path("autoscaling.knative.dev/maxScale").asText()).isEqualTo("1");
    JsonNode container = service.path("spec").path("containers").get(0);
    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9090);
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(container.path("env").get(0).path("valueFrom").has("secretKeyRef")).isTrue();

    JsonNode group = null;
    for (JsonNode resource : snippet("aci-serve.json").path("resources")) {
      if (resource.path("type").asText().equals("Microsoft.ContainerInstance/containerGroups")) {
        group = resource;
      }
    }
    assertThat(group).isNotNull();
    assertThat(group.path("properties").path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(group.path("identity").path("type").asText()).isEqualTo("UserAssigned");
    JsonNode token = null;
    for (JsonNode variable : group.path("properties").path("containers").get(0).path("properties")
        .path("environmentVariables")) {
      if (variable.path("name").asText().equals("GITHUB_TOKEN")) {
        token = variable;
      }
    }
    assertThat(token).isNotNull();
    assertThat(token.has("secureValue")).isTrue();
    assertThat(token.has("value")).isFalse();
  }

  private static Set<String> actions(JsonNode statement) {
    Set<String> actions = new TreeSet<>();
    JsonNode action = statement.path("Action");
    if (action.isArray()) {
      action.forEach(one -> actions.add(one.asText()));
    } else {
      actions.add(action.asText());
    }
    return actions;
  }

  /** Every string array that contains {@code serve}: a container's command or arguments. */
  private static void collectServeCommands(JsonNode node, List<List<String>> commands) {
    if (node.isArray()) {
      List<String> texts = new ArrayList<>();
      node.forEach(element -> texts.add(element.isValueNode() ? element.asText() : null));
      if (texts.contains("serve") && !texts.contains(null)) {
        commands.add(texts);
        return;
      }
    }
    for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
      collectServeCommands(children.next(), commands);
    }
  }

  /**
   * The backend settings {@code start} takes, from action.yml: an input whose description starts with, or
   * has after {@code "; "}, a backend id and a colon ({@code "ecs: ..."}) belongs to that backend.
   */
  private static Map<String, Set<String>> backendOptionsFromActionYml() throws IOException {
    JsonNode inputs = YAML.readTree(ROOT.resolve("action.yml").toFile()).path("inputs");
    Map<String, Set<String>> options = new LinkedHashMap<>();
    inputs.fields().forEachRemaining(input -> {
      Matcher backends = BACKEND_PREFIX.matcher(input.getValue().path("description").asText());
      while (backends.find()) {
        options.computeIfAbsent(backends.group(1), id -> new TreeSet<>()).add("--" + input.getKey());
      }
    });
    return options;
  }
}
