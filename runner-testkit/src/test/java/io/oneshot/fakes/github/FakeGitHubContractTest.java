package io.oneshot.fakes.github;

import static io.oneshot.fakes.github.GitHubHttp.jit;
import static io.oneshot.fakes.github.GitHubHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oneshot.fakes.TestClock;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGitHubContractTest {
  private final TestClock clock = TestClock.atEpochOfTests();
  private FakeGitHub github;
  private GitHubHttp http;

  @BeforeEach
  void start() {
    github = FakeGitHub.builder().clock(clock).seed(42).build();
    github.addRepository("octo/app");
    github.addOrganization("octo");
    github.addEnterprise("acme");
    http = GitHubHttp.token(github, github.issueToken());
  }

  @AfterEach
  void stop() {
    github.close(); // fails the test if any response broke the contract
  }

  @Test
  void validatorIsSharedAndItsBuildTimeIsKnown() {
    System.out.println("OpenAPI validator build time: " + FakeGitHub.validatorBuildTime().toMillis() + " ms");
    assertThat(FakeGitHub.validatorBuildTime()).isPositive();
    assertThat(github.apiUrl().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void jitRequestWithoutRunnerGroupIdIsRejectedWith422() {
    HttpResponse<String> response = http.post("/orgs/octo/actions/runners/generate-jitconfig",
        "{\"name\":\"r1\",\"labels\":[\"self-hosted\"]}");

    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode body = json(response);
    assertThat(body.path("message").asText()).startsWith("Invalid request.").contains("runner_group_id");
    assertThat(body.path("documentation_url").asText()).isNotEmpty();
    assertThat(body.path("errors").isArray()).isTrue();
    assertThat(github.rejectedRequests()).hasSize(1);
    assertThat(github.runners("orgs/octo")).isEmpty();
  }

  @Test
  void memberOfTheWrongTypeIsRejectedWith422() {
    HttpResponse<String> response = http.post("/orgs/octo/actions/runners/generate-jitconfig",
        "{\"name\":\"r1\",\"runner_group_id\":\"one\",\"labels\":\"self-hosted\"}");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).path("errors").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void emptyLabelsAndUnknownGroupsAre422() {
    assertThat(http.post("/orgs/octo/actions/runners/generate-jitconfig", jit("r1", 1)).statusCode())
        .isEqualTo(422);
    HttpResponse<String> unknownGroup =
        http.post("/orgs/octo/actions/runners/generate-jitconfig", jit("r1", 7, "self-hosted"));
    assertThat(unknownGroup.statusCode()).isEqualTo(422);
    assertThat(http.post("/repos/octo/app/actions/runners/generate-jitconfig", jit("r1", 2, "x"))
        .statusCode()).isEqualTo(422);
  }

  @Test
  void unknownPathsMethodsAndMalformedIdsAre404() {
    HttpResponse<String> unknown = http.get("/orgs/octo/actions/secrets");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("message").asText()).isEqualTo("Not Found");
    assertThat(json(unknown).path("status").asText()).isEqualTo("404");
    assertThat(http.send("PUT", "/orgs/octo/actions/runners", "{}").statusCode()).isEqualTo(404);
    assertThat(http.get("/orgs/octo/actions/runners/abc").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownScopeIs404() {
    assertThat(http.post("/orgs/nobody/actions/runners/registration-token", null).statusCode())
        .isEqualTo(404);
    assertThat(http.get("/repos/octo/other/actions/runners").statusCode()).isEqualTo(404);
  }

  @Test
  void jitCreatesAnOfflineRunnerWithTypedLabels() {
    HttpResponse<String> response = http.post("/orgs/octo/actions/runners/generate-jitconfig",
        jit("oneshot-1", 1, "self-hosted", "Linux", "X64", "gpu"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    JsonNode runner = json(response).path("runner");
    assertThat(runner.path("status").asText()).isEqualTo("offline");
    assertThat(runner.path("busy").asBoolean()).isFalse();
    assertThat(runner.path("os").asText()).isEqualTo("unknown");
    assertThat(runner.path("labels").findValuesAsText("type"))
        .containsExactly("read-only", "read-only", "read-only", "custom");
    String encoded = json(response).path("encoded_jit_config").asText();
    DecodedJitConfig decoded = JitConfigs.decode(encoded);
    assertThat(decoded).isEqualTo(new DecodedJitConfig(runner.path("id").asLong(), "oneshot-1",
        "orgs/octo", 1, "_work"));
    assertThat(github.issuedSecrets()).contains(encoded);
    assertThat(github.runners("orgs/octo")).singleElement()
        .satisfies(r -> assertThat(r.labels()).containsExactly("self-hosted", "Linux", "X64", "gpu"));
  }

  @Test
  void duplicateJitNameIs409() {
    String path = "/enterprises/acme/actions/runners/generate-jitconfig";
    assertThat(http.post(path, jit("dup", 1, "self-hosted")).statusCode()).isEqualTo(201);

    HttpResponse<String> second = http.post(path, jit("dup", 1, "self-hosted"));

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(json(second).path("message").asText())
        .isEqualTo("Already exists - A runner with the name dup already exists.");
  }

  @Test
  void getAndDeleteRunnersIncludingABusyOne() {
    long id = json(http.post("/repos/octo/app/actions/runners/generate-jitconfig",
        jit("r", 1, "self-hosted"))).path("runner").path("id").asLong();
    assertThat(http.get("/repos/octo/app/actions/runners/" + id).statusCode()).isEqualTo(200);
    assertThat(http.get("/repos/octo/app/actions/runners/999").statusCode()).isEqualTo(404);

    FakeRunner runner = github.runner("repos/octo/app", id).orElseThrow();
    assertThat(runner.status()).isEqualTo("offline");

    long busy = github.configureWithToken(github.createRegistrationToken("repos/octo/app"), "busy",
        java.util.List.of(), null, true).id();
    github.startJob("repos/octo/app", busy);
    HttpResponse<String> refused = http.delete("/repos/octo/app/actions/runners/" + busy);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(json(refused).path("message").asText())
        .isEqualTo("Bad request - Runner \"busy\" is still running a job");

    assertThat(http.delete("/repos/octo/app/actions/runners/" + id).statusCode()).isEqualTo(204);
    assertThat(http.delete("/repos/octo/app/actions/runners/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void listsPaginateWithLinkHeaders() {
    for (int i = 1; i <= 5; i++) {
      assertThat(http.post("/orgs/octo/actions/runners/generate-jitconfig", jit("r" + i, 1, "x"))
          .statusCode()).isEqualTo(201);
    }

    HttpResponse<String> first = http.get("/orgs/octo/actions/runners?per_page=2");
    assertThat(json(first).path("total_count").asInt()).isEqualTo(5);
    assertThat(names(json(first).path("runners"))).containsExactly("r1", "r2");
    String base = github.apiUrl() + "/orgs/octo/actions/runners?per_page=2&page=";
    assertThat(first.headers().firstValue("link")).hasValue(
        "<" + base + "2>; rel=\"next\", <" + base + "3>; rel=\"last\"");

    HttpResponse<String> middle = http.get("/orgs/octo/actions/runners?per_page=2&page=2");
    assertThat(middle.headers().firstValue("link").orElseThrow())
        .contains("rel=\"next\"", "rel=\"last\"", "rel=\"prev\"", "rel=\"first\"");

    HttpResponse<String> last = http.get("/orgs/octo/actions/runners?per_page=2&page=3");
    assertThat(names(json(last).path("runners"))).containsExactly("r5");
    assertThat(last.headers().firstValue("link").orElseThrow())
        .isEqualTo("<" + base + "2>; rel=\"prev\", <" + base + "1>; rel=\"first\"");

    HttpResponse<String> byName = http.get("/orgs/octo/actions/runners?name=r3");
    assertThat(json(byName).path("total_count").asInt()).isEqualTo(1);
    assertThat(byName.headers().firstValue("link")).isEmpty();
  }

  @Test
  void runnerGroupsAreListed() {
    github.addRunnerGroup("orgs/octo", "oneshot");
    github.addRunnerGroup("enterprises/acme", "big");

    JsonNode org = json(http.get("/orgs/octo/actions/runner-groups?per_page=1"));
    assertThat(org.path("total_count").asInt()).isEqualTo(2);
    assertThat(org.path("runner_groups").get(0).path("name").asText()).isEqualTo("Default");
    assertThat(org.path("runner_groups").get(0).path("default").asBoolean()).isTrue();
    JsonNode enterprise = json(http.get("/enterprises/acme/actions/runner-groups"));
    assertThat(enterprise.path("runner_groups").findValuesAsText("name")).containsExactly("Default", "big");
  }

  @Test
  void registrationAndRemoveTokensExpireInAnHour() {
    HttpResponse<String> response = http.post("/repos/octo/app/actions/runners/registration-token", null);

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode body = json(response);
    assertThat(OffsetDateTime.parse(body.path("expires_at").asText()).toInstant())
        .isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
    assertThat(github.issuedSecrets()).contains(body.path("token").asText());
    assertThat(http.post("/enterprises/acme/actions/runners/remove-token", null).statusCode())
        .isEqualTo(201);
  }

  @Test
  void labelsAndDownloadsAreServed() {
    long id = json(http.post("/orgs/octo/actions/runners/generate-jitconfig",
        jit("r", 1, "self-hosted", "gpu"))).path("runner").path("id").asLong();
    String labels = "/orgs/octo/actions/runners/" + id + "/labels";
    assertThat(json(http.post(labels, "{\"labels\":[\"big\"]}")).path("total_count").asInt()).isEqualTo(3);
    assertThat(json(http.send("PUT", labels, "{\"labels\":[]}")).path("labels").findValuesAsText("name"))
        .containsExactly("self-hosted");
    assertThat(http.delete(labels + "/nothere").statusCode()).isEqualTo(404);
    assertThat(json(http.get("/orgs/octo/actions/runners/downloads")).size()).isGreaterThan(3);
  }

  @Test
  void rateLimitEndpointDoesNotSpendTheBudget() {
    JsonNode first = json(http.get("/rate_limit"));
    JsonNode second = json(http.get("/rate_limit"));
    assertThat(second.path("resources").path("core").path("remaining").asInt())
        .isEqualTo(first.path("resources").path("core").path("remaining").asInt())
        .isEqualTo(5000);
  }

  @Test
  void ghesPrefixServesUnderApiV3() {
    try (FakeGitHub ghes = FakeGitHub.builder().clock(clock).apiPathPrefix("/api/v3").build()) {
      ghes.addOrganization("corp");
      GitHubHttp client = GitHubHttp.token(ghes, ghes.issueToken());
      assertThat(ghes.apiUrl().toString()).endsWith("/api/v3");

      HttpResponse<String> created =
          client.post("/orgs/corp/actions/runners/generate-jitconfig", jit("g1", 1, "self-hosted"));
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(client.get("/orgs/corp/actions/runners").statusCode()).isEqualTo(200);
      GitHubHttp unprefixed = new GitHubHttp(ghes.serverUrl(), "token " + ghes.issueToken());
      assertThat(unprefixed.get("/orgs/corp/actions/runners").statusCode()).isEqualTo(404);
      assertThat(ghes.calls()).extracting(RecordedCall::path)
          .contains("/api/v3/orgs/corp/actions/runners");
    }
  }

  @Test
  void everyResponseCarriesGitHubHeaders() {
    HttpResponse<String> response = http.get("/orgs/octo/actions/runners");
    assertThat(response.headers().firstValue("x-github-request-id").orElseThrow())
        .matches("[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}");
    assertThat(response.headers().firstValue("x-github-api-version-selected")).hasValue("2022-11-28");
    assertThat(response.headers().firstValue("x-ratelimit-resource")).hasValue("core");
    assertThat(response.headers().firstValue("x-ratelimit-limit")).hasValue("5000");
  }

  private static java.util.List<String> names(JsonNode array) {
    java.util.List<String> names = new java.util.ArrayList<>();
    array.forEach(item -> names.add(item.path("name").asText()));
    return names;
  }
}
