package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.fakes.github.FakeGitHubApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs, one per row: each exits 1 with an error annotation that names the input, echoes no
 * secret, and makes no call to GitHub or the cloud.
 */
class BadInputCorpusTest {
  private static final String KEY = "app-key";
  private static final String TOKEN_LIKE = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  private static final String GARBAGE_PEM = "-----BEGIN RSA PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END RSA PRIVATE KEY-----";
  @TempDir Path directory;

  private static Arguments row(String description, String expected, String... inputs) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < inputs.length; i += 2) {
      values.put(inputs[i], inputs[i + 1]);
    }
    return Arguments.of(description, values, expected);
  }

  static Stream<Arguments> corpus() {
    String manyLabels = IntStream.range(0, 100).mapToObj(i -> "l" + i).collect(Collectors.joining(","));
    return Stream.of(
        row("no token and no app", "token is empty", "token", ""),
        row("token and app both", "token and app-id/app-private-key exclude each other", "app-id", "12", "app-private-key", KEY),
        row("app id without key", "app-private-key is empty but app-id is set", "token", "", "app-id", "12"),
        row("app key without id", "app-id is empty but app-private-key is set", "token", "", "app-private-key", KEY),
        row("app id not a number", "app-id 'twelve'", "token", "", "app-id", "twelve", "app-private-key", KEY),
        row("app id zero", "app-id '0'", "token", "", "app-id", "0", "app-private-key", KEY),
        row("installation id not a number", "app-installation-id 'x'", "token", "", "app-id", "12",
            "app-private-key", KEY, "app-installation-id", "x"),
        row("PEM garbage", "app-private-key", "token", "", "app-id", "12", "app-private-key", GARBAGE_PEM),
        row("not a PEM at all", "app-private-key", "token", "", "app-id", "12", "app-private-key", "hunter2hunter2"),
        row("token with a space", "token is empty or contains whitespace", "token", "ghp_abc def"),
        row("timeout in words", "timeout '5 minutes'", "timeout", "5 minutes"),
        row("timeout negative", "timeout '-5m'", "timeout", "-5m"),
        row("timeout zero", "timeout", "timeout", "0s"),
        row("idle timeout in words", "idle-timeout 'soon'", "idle-timeout", "soon"),
        row("max lifetime bad ISO", "max-lifetime 'PTX'", "max-lifetime", "PTX"),
        row("count zero", "count 0 is out of range", "count", "0"),
        row("count a thousand", "count 1000 is out of range", "count", "1000"),
        row("count in words", "count 'three'", "count", "three"),
        row("context with two slashes", "context 'a/b/c'", "context", "a/b/c"),
        row("context starting with a hyphen", "context '-octo'", "context", "-octo"),
        row("context with an empty repo", "context 'octo/'", "context", "octo/"),
        row("subnets-tag without a colon", "subnets-tag 'oneshot'", "subnets-tag", "oneshot"),
        row("subnet that is not an id", "subnets: 'private-a'", "subnets-tag", "", "subnets", "private-a"),
        row("security group by name", "security-groups: 'default'", "security-groups-tag", "", "security-groups", "default"),
        row("security-groups-tag without a value", "security-groups-tag 'oneshot:'", "security-groups-tag", "oneshot:"),
        row("unknown launch type", "launch-type 'LAMBDA'", "launch-type", "LAMBDA"),
        row("launch type and capacity providers", "launch-type and capacity-providers exclude each other",
            "launch-type", "FARGATE", "capacity-providers", "FARGATE_SPOT,FARGATE"),
        row("assign-public-ip not a boolean", "assign-public-ip 'yes'", "assign-public-ip", "yes"),
        row("region made up", "region 'mars-north'", "region", "mars-north"),
        row("unknown backend", "backend 'gke'", "backend", "gke"),
        row("unknown mode", "mode 'restart'", "mode", "restart"),
        row("label with a space", "labels: 'has space'", "labels", "db,has space"),
        row("a hundred labels", "GitHub takes at most 100", "labels", manyLabels),
        row("name starting with a hyphen", "name '-dev'", "name", "-dev"),
        row("name too long", "name 'abcdefghijklmnopqrstuvwxyz012345'", "name", "abcdefghijklmnopqrstuvwxyz012345"),
        row("wait not a boolean", "wait 'maybe'", "wait", "maybe"),
        row("force not a boolean", "force 'always'", "mode", "stop", "runner-id", "dev-0123456789abcdef", "force",
            "always"),
        row("debug not a boolean", "debug 'verbose'", "debug", "verbose"),
        row("unknown registration", "registration 'pat'", "registration", "pat"),
        row("workdir escaping", "workdir '../x'", "workdir", "../x"),
        row("api url not http", "github-api-url 'ftp://ghe.example.com'", "github-api-url", "ftp://ghe.example.com"),
        row("api url not a url", "github-api-url 'not a url'", "github-api-url", "not a url"),
        row("api url over http to a remote host", "github-api-url 'http://ghe.example.com/api/v3' uses http://",
            "github-api-url", "http://ghe.example.com/api/v3"),
        row("stop without runner-id", "runner-id is required in stop mode", "mode", "stop"),
        row("stop with a made-up runner-id", "runner-id 'abc'", "mode", "stop", "runner-id", "abc"),
        row("enterprise slug with a space", "enterprise 'acme corp'", "enterprise", "acme corp"),
        row("enterprise with an App", "app-id cannot be used with enterprise", "token", "", "enterprise", "acme",
            "app-id", "12", "app-private-key", KEY),
        row("cpu in words", "cpu 'lots'", "cpu", "lots"),
        row("task definition with spaces", "task-definition 'my runner'", "task-definition", "my runner"),
        row("cluster with a slash", "cluster 'a/b'", "cluster", "a/b"),
        row("timeout of ages", "timeout '9999999999999d' is out of range", "timeout", "9999999999999d"),
        row("timeout too short", "timeout '1s' is out of range", "timeout", "1s"),
        row("idle timeout past the image's limit", "idle-timeout '99999999999s' is out of range", "idle-timeout",
            "99999999999s"),
        row("max lifetime past Cloud Run's ceiling", "max-lifetime '200h' is out of range", "max-lifetime", "200h"),
        row("idle timeout longer than the lifetime", "max-lifetime", "idle-timeout", "7h", "max-lifetime", "6h"),
        row("a PEM pasted into app-id", "app-id (a value that looks like a secret, not shown)", "token", "",
            "app-id", GARBAGE_PEM, "app-private-key", KEY),
        row("a token pasted into context", "context (a value that looks like a secret, not shown)", "context",
            TOKEN_LIKE),
        row("enterprise with a repository context", "enterprise and context exclude each other", "enterprise",
            "acme", "context", "octo-org/app"),
        row("an installation id with a token", "app-installation-id and token exclude each other",
            "app-installation-id", "77"),
        row("a run id that is not a number", "GITHUB_RUN_ID", "env:GITHUB_RUN_ID", "run-7"),
        row("stop outside a workflow without runner-id", "runner-id is required in stop mode outside a workflow run",
            "mode", "stop"),
        row("status without runner-id", "runner-id is required in status mode", "mode", "status",
            "env:GITHUB_RUN_ID", "4242"),
        row("aci priority unknown", "priority 'Sometimes'", "backend", "aci", "priority", "Sometimes"),
        row("aci zone that does not exist", "zones: '4'", "backend", "aci", "zones", "4"),
        row("aci stop without a resource group", "resource-group is required", "backend", "aci", "mode", "stop",
            "runner-id", "dev-0123456789abcdef", "subscription-id", "00000000-0000-0000-0000-000000000000"),
        row("cloudrun container not a name", "container 'Runner_1'", "backend", "cloudrun", "container", "Runner_1"),
        row("cloudrun stop without a job", "job is not set", "backend", "cloudrun", "mode", "stop", "runner-id",
            "dev-0123456789abcdef", "project", "proj-123", "region", "europe-west1"),
        row("a task definition defaulted from name", "task-definition 'dev.x' (from name, its default)",
            "task-definition", "", "name", "dev.x"),
        row("token mode on ECS without sealing", "registration: token on ecs needs seal-public-key", "registration",
            "token"),
        row("run-binding not a boolean", "run-binding 'sometimes'", "run-binding", "sometimes"),
        row("unknown backend names the ones there are", "use aci, cloudrun, ecs", "backend", "nomad"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void badInputFailsFastNamingTheInput(String description, Map<String, String> inputs, String expected) {
    try (ActionFixture action = new ActionFixture(directory)) {
      FakeGitHubApp app = action.github.createApp();
      List<String> secrets = new ArrayList<>(List.of(action.token, "TOPSECRETKEYMATERIAL", "hunter2hunter2",
          TOKEN_LIKE));
      app.privateKeyPkcs1Pem().lines().filter(line -> !line.startsWith("-----")).forEach(secrets::add);
      inputs.forEach((name, value) -> {
        if (name.startsWith("env:")) {
          action.environment.put(name.substring(4), value);
        } else if (value.isEmpty()) {
          action.remove(name);
        } else {
          action.input(name, value.equals(KEY) ? app.privateKeyPkcs1Pem() : value);
        }
      });
      if (inputs.containsKey("context") || inputs.containsKey("enterprise")) {
        action.environment.remove("GITHUB_REPOSITORY");
      }
      if (!inputs.containsKey("env:GITHUB_RUN_ID")) {
        action.environment.remove("GITHUB_RUN_ID");
      }

      int code = action.runAction();

      assertThat(code).as(action.stderr).isEqualTo(1);
      assertThat(action.stdout).as("each problem annotates its input").contains("::error title=oneshot input ")
          .doesNotContain("::error title=oneshot::");
      assertThat(action.stderr).contains(expected);
      for (String secret : secrets) {
        assertThat(action.printedWithoutMasks()).doesNotContain(secret);
      }
      assertThat(action.github.callCount()).as("calls to GitHub").isZero();
      assertThat(action.ecs.calls()).as("calls to ECS and EC2").isEmpty();
      assertThat(action.outputs()).isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void theCorpusIsBigEnough() {
    assertThat(corpus().count()).isGreaterThanOrEqualTo(65);
  }
}
