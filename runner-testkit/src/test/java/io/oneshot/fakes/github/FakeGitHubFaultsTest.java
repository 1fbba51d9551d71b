package io.oneshot.fakes.github;

import static io.oneshot.fakes.github.GitHubHttp.jit;
import static io.oneshot.fakes.github.GitHubHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.fakes.TestClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGitHubFaultsTest {
  private static final String JIT_ORG = "actions/generate-runner-jitconfig-for-org";
  private static final String LIST_ORG = "actions/list-self-hosted-runners-for-org";

  private final TestClock clock = TestClock.atEpochOfTests();
  private FakeGitHub github;
  private String token;
  private GitHubHttp http;

  @BeforeEach
  void start() {
    github = FakeGitHub.builder().clock(clock).seed(99).build();
    github.addOrganization("octo");
    token = github.issueToken();
    http = GitHubHttp.token(github, token);
  }

  @AfterEach
  void stop() {
    github.close();
  }

  @Test
  void rateLimitHeadersCountDownPerCredential() {
    HttpResponse<String> first = http.get("/orgs/octo/actions/runners");
    HttpResponse<String> second = http.get("/orgs/octo/actions/runners");
    long reset = clock.instant().plus(Duration.ofHours(1)).getEpochSecond();

    assertThat(first.headers().firstValue("x-ratelimit-remaining")).hasValue("4999");
    assertThat(second.headers().firstValue("x-ratelimit-remaining")).hasValue("4998");
    assertThat(second.headers().firstValue("x-ratelimit-used")).hasValue("2");
    assertThat(second.headers().firstValue("x-ratelimit-reset")).hasValue(Long.toString(reset));
    HttpResponse<String> other = GitHubHttp.token(github, github.issueToken()).get("/orgs/octo/actions/runners");
    assertThat(other.headers().firstValue("x-ratelimit-remaining")).hasValue("4999");
  }

  @Test
  void exhaustedBudgetGives403UntilTheResetPasses() {
    http.get("/orgs/octo/actions/runners");
    github.faults().exhaustBudget(token);

    HttpResponse<String> limited = http.get("/orgs/octo/actions/runners");
    assertThat(limited.statusCode()).isEqualTo(403);
    assertThat(json(limited).path("message").asText()).startsWith("API rate limit exceeded for");
    assertThat(limited.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
    long reset = Long.parseLong(limited.headers().firstValue("x-ratelimit-reset").orElseThrow());

    clock.advance(Duration.ofMinutes(59));
    assertThat(http.get("/orgs/octo/actions/runners").statusCode()).isEqualTo(403);
    clock.advance(Duration.ofSeconds(reset - clock.instant().getEpochSecond()));
    HttpResponse<String> after = http.get("/orgs/octo/actions/runners");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("x-ratelimit-remaining")).hasValue("4999");
  }

  @Test
  void failNextAnswersTheStatusTheGivenNumberOfTimes() {
    github.faults().failNext(JIT_ORG, 502, 2);

    assertThat(http.post("/orgs/octo/actions/runners/generate-jitconfig", jit("a", 1, "x")).statusCode())
        .isEqualTo(502);
    assertThat(http.get("/orgs/octo/actions/runners").statusCode()).isEqualTo(200);
    assertThat(http.post("/orgs/octo/actions/runners/generate-jitconfig", jit("a", 1, "x")).statusCode())
        .isEqualTo(502);
    assertThat(http.post("/orgs/octo/actions/runners/generate-jitconfig", jit("a", 1, "x")).statusCode())
        .isEqualTo(201);
    assertThat(github.callCount(JIT_ORG)).isEqualTo(3);
    assertThat(github.callCount()).isEqualTo(4);
    assertThat(github.calls()).extracting(RecordedCall::status).containsExactly(502, 200, 502, 201);
  }

  @Test
  void wildcardFaultsHitAnyOperation() {
    github.faults().failNext(FaultInjector.ANY_OPERATION, 500, 1);
    HttpResponse<String> failed = http.get("/orgs/octo/actions/runner-groups");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(json(failed).path("message").asText()).isEqualTo("Server Error");
    assertThat(http.get("/orgs/octo/actions/runner-groups").statusCode()).isEqualTo(200);
  }

  @Test
  void secondaryRateLimitCarriesRetryAfter() {
    github.faults().secondaryRateLimitNext(LIST_ORG, 42);

    HttpResponse<String> limited = http.get("/orgs/octo/actions/runners");

    assertThat(limited.statusCode()).isEqualTo(403);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("42");
    assertThat(json(limited).path("message").asText()).contains("secondary rate limit");
    assertThat(limited.headers().firstValue("x-ratelimit-remaining").map(Integer::parseInt).orElseThrow())
        .isPositive();
    assertThat(http.get("/orgs/octo/actions/runners").statusCode()).isEqualTo(200);
  }

  @Test
  void latencyDelaysResponsesForReal() {
    github.faults().latency(Duration.ofMillis(60));
    long start = System.nanoTime();
    http.get("/orgs/octo/actions/runners");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    github.faults().reset();
  }

  @Test
  void connectionResetIsAnIOExceptionForHttpClient() throws IOException {
    http.get("/orgs/octo/actions/runners"); // a pooled keep-alive connection now exists
    github.faults().resetNextConnections(JIT_ORG, 1);

    assertThatThrownBy(() -> http.sendOrThrow("POST", "/orgs/octo/actions/runners/generate-jitconfig",
        jit("r", 1, "x"))).isInstanceOf(IOException.class);

    assertThat(github.runners("orgs/octo")).isEmpty();
    assertThat(github.calls()).extracting(RecordedCall::status).containsExactly(200, 0);
    assertThat(http.sendOrThrow("POST", "/orgs/octo/actions/runners/generate-jitconfig", jit("r", 1, "x"))
        .statusCode()).isEqualTo(201);
  }

  @Test
  void connectionResetOnAFreshConnectionToo() {
    github.faults().resetNextConnections(LIST_ORG, 2); // HttpClient may retry a GET once on its own
    GitHubHttp fresh = GitHubHttp.token(github, token);
    assertThatThrownBy(() -> fresh.sendOrThrow("GET", "/orgs/octo/actions/runners", null))
        .isInstanceOf(IOException.class);
  }

  @Test
  void randomFaultsAreReproducibleFromTheSeed() {
    List<Integer> first = randomRun(1234);
    List<Integer> second = randomRun(1234);

    assertThat(first).isEqualTo(second);
    assertThat(first).contains(200).containsAnyOf(500, 503);
  }

  @Test
  void resetClearsPlannedFaults() {
    github.faults().failNext(LIST_ORG, 500, 5).randomFaults(1.0, 503);
    github.faults().reset();
    assertThat(http.get("/orgs/octo/actions/runners").statusCode()).isEqualTo(200);
  }

  private List<Integer> randomRun(long seed) {
    List<Integer> statuses = new ArrayList<>();
    try (FakeGitHub seeded = FakeGitHub.builder().clock(clock).seed(seed).build()) {
      seeded.addOrganization("octo");
      seeded.faults().randomFaults(0.5, 500, 503);
      GitHubHttp client = GitHubHttp.token(seeded, seeded.issueToken());
      for (int i = 0; i < 20; i++) {
        statuses.add(client.get("/orgs/octo/actions/runners").statusCode());
      }
    }
    return statuses;
  }
}
