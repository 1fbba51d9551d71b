package io.oneshot.fakes.github.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContractValidatorTest {
  private final ContractValidator validator = ContractValidator.get();
  private final ApiSpec spec = ApiSpec.get();

  private List<String> check(String method, String path, int status, String body) {
    Optional<ApiSpec.Operation> op = spec.match(method, path).map(ApiSpec.Match::operation);
    return validator.checkResponse(op, method, path, status,
        Map.of("content-type", "application/json; charset=utf-8"), body);
  }

  @Test
  void routesPathsToOperationIds() {
    assertThat(spec.match("POST", "/repos/o/r/actions/runners/registration-token").orElseThrow()
        .operation().operationId()).isEqualTo("actions/create-registration-token-for-repo");
    assertThat(spec.match("GET", "/enterprises/e/actions/runners/downloads").orElseThrow()
        .operation().operationId()).isEqualTo("enterprise-admin/list-runner-applications-for-enterprise");
    ApiSpec.Match byId = spec.match("DELETE", "/orgs/o/actions/runners/42").orElseThrow();
    assertThat(byId.pathParams()).containsEntry("runner_id", "42").containsEntry("org", "o");
    assertThat(spec.match("PATCH", "/orgs/o/actions/runners")).isEmpty();
  }

  @Test
  void acceptsAValidRunner() {
    assertThat(check("GET", "/orgs/o/actions/runners/1", 200,
        "{\"id\":1,\"name\":\"r\",\"os\":\"Linux\",\"status\":\"online\",\"busy\":false,\"labels\":[]}"))
        .isEmpty();
  }

  @Test
  void reportsResponsesThatBreakTheContract() {
    assertThat(check("GET", "/orgs/o/actions/runners/1", 200,
        "{\"id\":\"one\",\"name\":\"r\",\"status\":\"online\",\"busy\":false,\"labels\":[]}"))
        .isNotEmpty();
    assertThat(check("GET", "/orgs/o/actions/runners/1", 200,
        "{\"id\":1,\"name\":\"r\",\"os\":\"x\",\"status\":\"online\",\"busy\":false,\"labels\":[],"
            + "\"surprise\":true}"))
        .anySatisfy(v -> assertThat(v).contains("additionalProperties"));
  }

  @Test
  void undeclaredErrorStatusesMustStillBeGitHubErrors() {
    assertThat(check("GET", "/orgs/o/actions/runners/1", 404,
        "{\"message\":\"Not Found\",\"documentation_url\":\"x\",\"status\":\"404\"}")).isEmpty();
    assertThat(check("GET", "/orgs/o/actions/runners/1", 404, "{\"error\":1}")).isNotEmpty();
    assertThat(check("GET", "/nothing/here", 404, "{\"message\":\"Not Found\"}")).isEmpty();
  }

  @Test
  void requestVerdictsFollowGitHub() {
    assertThat(validator.checkRequest("GET", "/orgs/o/actions/runners", Map.of("per_page", List.of("2")),
        "").valid()).isTrue();
    assertThat(validator.checkRequest("GET", "/orgs/o/actions/runners", Map.of("per_page", List.of("x")),
        "").status()).isEqualTo(422);
    assertThat(validator.checkRequest("GET", "/orgs/o/nothing", Map.of(), "").status()).isEqualTo(404);
    assertThat(validator.checkRequest("POST", "/orgs/o/actions/runners/generate-jitconfig", Map.of(),
        "{\"name\":\"a\",\"runner_group_id\":1,\"labels\":[\"x\"],\"extra\":1}").valid()).isTrue();
  }
}
