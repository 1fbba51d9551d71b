package io.oneshot.fakes.scaleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.RunnerBehaviour;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.SimulatedContainer;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.RetryPolicy;
import io.oneshot.scaleset.JobMessage;
import io.oneshot.scaleset.RunnerRemoval;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetException;
import io.oneshot.scaleset.ScaleSetJitConfig;
import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.scaleset.ScaleSetRunner;
import io.oneshot.scaleset.ScaleSetSession;
import io.oneshot.scaleset.ScaleSetSettings;
import io.oneshot.spi.RunnerEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake scale-set service's runner endpoints, job execution and faults, driven by the real client. */
class FakeScaleSetServiceTest {
  private static final Duration JOB = Duration.ofMinutes(5);

  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(7).build();
  private final List<String> secrets = new ArrayList<>();
  private FakeScaleSetService service;
  private ScaleSetClient client;

  private void start(FakeScaleSetService.Builder builder, RetryPolicy policy) {
    github.addOrganization("octo");
    service = builder.seed(11).build();
    GitHubClient rest = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(3)).build();
    client = ScaleSetClient.builder().github(rest).clock(clock).sleeper(clock.sleeper()).random(new Random(5))
        .retryPolicy(policy).onSecret(secrets::add).build();
  }

  private void startRunningJobs() {
    start(FakeScaleSetService.builder(github).runJobs(JOB), RetryPolicy.defaults());
  }

  @AfterEach
  void close() {
    if (service != null) {
      service.close();
    }
    github.close();
  }

  private long scaleSet(String name) {
    return client.getOrCreateScaleSet(new ScaleSetSettings(name, 1, List.of())).id();
  }

  private SimulatedContainer container(ScaleSetJitConfig jit, Duration startsIn, Duration bootDelay) {
    return new SimulatedContainer(github, Map.of(RunnerEnvironment.JIT_CONFIG, jit.encodedJitConfig()),
        clock.instant().plus(startsIn), bootDelay, RunnerBehaviour.NORMAL);
  }

  @Test
  void aContainerNobodyLooksAtBootsTakesTheAssignedJobAndExitsZeroAfterTheJobDuration() {
    startRunningJobs();
    long id = scaleSet("linux");
    long other = scaleSet("gpu");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      assertThat(session.acquireJobs(List.of(job))).containsExactly(job);
      Instant assigned = clock.instant();
      // An idle runner of another scale set does not take it.
      SimulatedRunner stranger = SimulatedRunner.fromJitConfig(github,
          client.generateJitConfig(other, "gpu-r1", "").encodedJitConfig(), Duration.ZERO);
      ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
      SimulatedContainer container = container(jit, Duration.ofSeconds(20), Duration.ofSeconds(10));

      clock.advance(Duration.ofSeconds(29));
      assertThat(client.getRunner(jit.runnerId())).hasValueSatisfying(r -> assertThat(r.online()).isFalse());
      assertThat(service.jobState(job)).isEqualTo(JobState.ASSIGNED);
      assertThat(stranger.isBusy()).isFalse();

      clock.advance(Duration.ofSeconds(1));
      // Any request catches the service up: the runner connected and took the job.
      ScaleSetRunner busy = client.getRunner(jit.runnerId()).orElseThrow();
      assertThat(busy.online()).isTrue();
      assertThat(busy.busy()).isTrue();
      assertThat(service.jobState(job)).isEqualTo(JobState.RUNNING);
      assertThat(service.runnerOf(job)).contains("linux-r1");
      assertThat(service.assignedAt(job)).contains(assigned);
      assertThat(service.startedAt(job)).contains(clock.instant());
      assertThat(service.jobsIn(JobState.RUNNING)).isEqualTo(1);
      assertThat(container.phase()).isEqualTo(SimulatedContainer.Phase.RUNNING);

      clock.advance(JOB.minusSeconds(1));
      assertThat(service.jobState(job)).isEqualTo(JobState.RUNNING);
      clock.advance(Duration.ofSeconds(1));
      ScaleSetMessage message = session.getMessage(0, 10).orElseThrow();
      assertThat(message.jobs()).extracting(JobMessage::type).containsExactly(JobMessage.Type.JOB_AVAILABLE,
          JobMessage.Type.JOB_ASSIGNED, JobMessage.Type.JOB_STARTED, JobMessage.Type.JOB_COMPLETED);
      assertThat(message.jobs().get(2).runnerName()).isEqualTo("linux-r1");
      assertThat(message.jobs().get(3).result()).isEqualTo("succeeded");
      assertThat(message.statistics().totalAssignedJobs()).isZero();
      assertThat(message.statistics().totalRunningJobs()).isZero();
      assertThat(container.exitCode()).contains(0);
      assertThat(service.completedAt(job)).contains(clock.instant());
      assertThat(service.result(job)).contains("succeeded");
      assertThat(service.jobsIn(JobState.COMPLETED)).isEqualTo(1);
      assertThat(client.getRunner(jit.runnerId())).isEmpty();
      assertThat(client.listRunners(id)).isEmpty();
      assertThat(stranger.isOnline()).isTrue();
    }
  }

  @Test
  void withoutRunJobsJobsWaitForTheTestToStartThem() {
    start(FakeScaleSetService.builder(github), RetryPolicy.defaults());
    long id = scaleSet("linux");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      session.acquireJobs(List.of(job));
      ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
      SimulatedRunner runner = SimulatedRunner.fromJitConfig(github, jit.encodedJitConfig(), Duration.ZERO);
      clock.advance(Duration.ofHours(1));
      service.dispatch();
      assertThat(service.jobState(job)).isEqualTo(JobState.ASSIGNED);
      assertThat(runner.isBusy()).isFalse();
      service.startJob(job, runner);
      assertThat(service.startedAt(job)).contains(clock.instant());
    }
  }

  @Test
  void aReassignedJobIsCompletedCanceledThenAssignedAgainAndStaysAssigned() {
    start(FakeScaleSetService.builder(github), RetryPolicy.defaults());
    long id = scaleSet("linux");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      session.acquireJobs(List.of(job));
      ScaleSetMessage first = session.getMessage(0, 10).orElseThrow();
      assertThat(first.jobs()).extracting(JobMessage::type)
          .containsExactly(JobMessage.Type.JOB_AVAILABLE, JobMessage.Type.JOB_ASSIGNED);
      session.deleteMessage(first.messageId());
      service.reassignJob(job);
      ScaleSetMessage reassigned = session.getMessage(first.messageId(), 10).orElseThrow();
      assertThat(reassigned.jobs()).extracting(JobMessage::type)
          .containsExactly(JobMessage.Type.JOB_COMPLETED, JobMessage.Type.JOB_ASSIGNED);
      assertThat(reassigned.jobs().get(0).result()).isEqualTo("canceled");
      assertThat(reassigned.jobs()).extracting(JobMessage::runnerRequestId).containsOnly(job);
      assertThat(reassigned.statistics().totalAssignedJobs()).isOne();
      assertThat(service.jobState(job)).isEqualTo(JobState.ASSIGNED);
      service.cancelJob(job);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.reassignJob(job))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void cancelingARunningJobEndsItOnItsRunnerAndAWaitingOneTouchesNoRunner() {
    startRunningJobs();
    long id = scaleSet("linux");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long running = service.enqueueJob(id);
      session.acquireJobs(List.of(running));
      SimulatedRunner runner = SimulatedRunner.fromJitConfig(github,
          client.generateJitConfig(id, "linux-r1", "").encodedJitConfig(), Duration.ZERO);
      service.dispatch();
      assertThat(runner.isBusy()).isTrue();
      long waiting = service.enqueueJob(id);
      session.acquireJobs(List.of(waiting));
      long available = service.enqueueJob(id);

      clock.advance(Duration.ofMinutes(1));
      service.cancelJob(running);
      assertThat(runner.exitCode()).contains(0);
      assertThat(service.result(running)).contains("canceled");
      assertThat(service.completedAt(running)).contains(clock.instant());

      SimulatedRunner idle = SimulatedRunner.fromJitConfig(github,
          client.generateJitConfig(id, "linux-r2", "").encodedJitConfig(), Duration.ofMinutes(1));
      service.cancelJob(waiting);
      service.cancelJob(available);
      service.cancelJob(available); // idempotent
      clock.advance(Duration.ofMinutes(1));
      service.dispatch();
      assertThat(idle.isOnline()).isTrue();
      assertThat(idle.isBusy()).isFalse();
      assertThat(service.jobsIn(JobState.COMPLETED)).isEqualTo(3);
      assertThat(service.runnerOf(waiting)).isEmpty();
      List<JobMessage> completed = session.getMessage(0, 10).orElseThrow().jobs(JobMessage.Type.JOB_COMPLETED);
      assertThat(completed).extracting(JobMessage::runnerRequestId).containsExactly(running, waiting, available);
      assertThat(completed).extracting(JobMessage::result).containsOnly("canceled");
    }
  }

  @Test
  void aJobWhoseRunnerDiesFirstFails() {
    startRunningJobs();
    long id = scaleSet("linux");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      session.acquireJobs(List.of(job));
      SimulatedRunner runner = SimulatedRunner.fromJitConfig(github,
          client.generateJitConfig(id, "linux-r1", "").encodedJitConfig(), Duration.ZERO);
      service.dispatch();
      runner.crash(137);
      assertThat(service.jobState(job)).isEqualTo(JobState.COMPLETED);
      assertThat(service.result(job)).contains("failed");
    }
  }

  @Test
  void removingRunnersFollowsTheirState() {
    startRunningJobs();
    long id = scaleSet("linux");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      session.acquireJobs(List.of(job));
      ScaleSetJitConfig busyJit = client.generateJitConfig(id, "linux-r1", "");
      SimulatedRunner busy = SimulatedRunner.fromJitConfig(github, busyJit.encodedJitConfig(), Duration.ZERO);
      ScaleSetJitConfig idleJit = client.generateJitConfig(id, "linux-r2", "");
      SimulatedRunner idle = SimulatedRunner.fromJitConfig(github, idleJit.encodedJitConfig(), Duration.ZERO);
      service.dispatch();
      assertThat(List.of(busy.isBusy(), idle.isBusy())).containsExactly(true, false);

      assertThat(client.removeRunner(busyJit.runnerId())).isEqualTo(RunnerRemoval.JOB_STILL_RUNNING);
      assertThat(client.removeRunner(idleJit.runnerId())).isEqualTo(RunnerRemoval.REMOVED);
      assertThat(idle.exitCode()).contains(SimulatedRunner.CONNECT_FAILURE_EXIT_CODE);
      assertThat(client.removeRunner(idleJit.runnerId())).isEqualTo(RunnerRemoval.NOT_FOUND);
      assertThat(client.listRunners(id)).extracting(ScaleSetRunner::id).containsExactly(busyJit.runnerId());
      assertThat(service.callCount("delete-runner")).isEqualTo(3);
    }
  }

  @Test
  void theRunnerEndpointsSpeakTheServiceWireAndRefuseRequestsWithoutApiVersion() throws Exception {
    start(FakeScaleSetService.builder(github), RetryPolicy.defaults());
    long id = scaleSet("linux");
    ScaleSetJitConfig jit = client.generateJitConfig(id, "linux-r1", "");
    String adminToken = secrets.get(0);
    HttpClient http = HttpClient.newHttpClient();
    String agents = service.actionsUrl() + "_apis/distributedtask/pools/0/agents";

    HttpResponse<String> list = http.send(request(agents + "?api-version=6.0-preview", adminToken, "GET"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(200);
    JsonNode value = new ObjectMapper().readTree(list.body()).path("value").get(0);
    assertThat(value.path("status").asText()).isEqualTo("offline");
    assertThat(value.path("busy").asBoolean(true)).isFalse();
    assertThat(value.path("runnerScaleSetId").asLong()).isEqualTo(id);
    assertThat(value.path("createdOn").asText()).isEqualTo(clock.instant().toString());

    HttpResponse<String> missing = http.send(request(agents + "/999?api-version=6.0-preview", adminToken,
        "DELETE"), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("GitHub.DistributedTask.WebApi.AgentNotFoundException");

    HttpResponse<String> bad = http.send(request(agents + "/" + jit.runnerId(), adminToken, "GET"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(service.rejectedRequests()).singleElement().asString().contains("api-version");
    assertThatThrownBy(service::close).isInstanceOf(AssertionError.class).hasMessageContaining("api-version");
    service = null;
  }

  private static HttpRequest request(String uri, String token, String method) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
        .header("User-Agent", "test").method(method, HttpRequest.BodyPublishers.noBody()).build();
  }

  @Test
  void aLostJitAnswerLeavesTheRunnerRegisteredAndItsConfigUnseen() {
    start(FakeScaleSetService.builder(github), RetryPolicy.none());
    long id = scaleSet("linux");
    service.loseNextAnswer("generate-jit-config", 1);
    assertThatThrownBy(() -> client.generateJitConfig(id, "linux-r1", ""))
        .isInstanceOfSatisfying(ScaleSetException.class, e -> {
          assertThat(e.status()).isZero();
          assertThat(github.issuedSecrets()).allSatisfy(secret -> assertThat(e.toString()).doesNotContain(secret));
        });
    assertThat(service.callCount("lost-answer")).isEqualTo(1);
    assertThat(service.runnerIds(id)).hasSize(1);
    assertThat(client.getRunnerByName("linux-r1")).hasValueSatisfying(r -> {
      assertThat(r.id()).isEqualTo(service.runnerIds(id).get(0));
      assertThat(r.online()).isFalse();
    });
    assertThatThrownBy(() -> client.generateJitConfig(id, "linux-r1", ""))
        .isInstanceOfSatisfying(ScaleSetException.class,
            e -> assertThat(e.kind()).isEqualTo(ScaleSetException.Kind.RUNNER_EXISTS));
  }

  @Test
  void aLostMessageAnswerLeavesTheMessageQueuedForTheRetry() {
    start(FakeScaleSetService.builder(github), RetryPolicy.defaults());
    long id = scaleSet("linux");
    try (ScaleSetSession session = client.createSession(id, "me")) {
      long job = service.enqueueJob(id);
      service.loseNextAnswer("get-message", 1);
      ScaleSetMessage message = session.getMessage(0, 10).orElseThrow();
      assertThat(message.jobs()).extracting(JobMessage::runnerRequestId).containsExactly(job);
      assertThat(service.callCount("get-message")).isEqualTo(2);
      assertThat(service.callCount("lost-answer")).isEqualTo(1);
      assertThat(service.unacknowledgedMessages(id)).containsExactly(message.messageId());
    }
  }
}
