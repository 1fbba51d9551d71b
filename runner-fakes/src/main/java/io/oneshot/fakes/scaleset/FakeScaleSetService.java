package io.oneshot.fakes.scaleset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.oneshot.fakes.IssuedSecrets;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.FakeRunner;
import io.oneshot.fakes.github.RunnerRegistrationExchange;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.LoopbackServer;
import io.oneshot.fakes.internal.Planned;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful fake of GitHub's runner scale-set service (the "Actions service"), on 127.0.0.1, wired to a
 * {@link FakeGitHub}: it answers that fake's {@code POST /actions/runner-registration} with its own URL
 * ({@code http://127.0.0.1:PORT/rest/}) and an admin JWT, and serves the scale-set, session, message-queue
 * ({@code /scalesets/message}), acquire, JIT-config and runner ({@code _apis/distributedtask/pools/0/agents})
 * endpoints of research scaleset.md section 9.5. Scale-set runners are registered in the fake GitHub, so
 * {@link SimulatedRunner#fromJitConfig} brings them online; the service polls those runners (through
 * {@link FakeGitHub#scaleSetRunners()}) whenever it handles a request, so booted ones connect.
 *
 * <p>Every request is checked against the conventions of section 1.6 (api-version query, Bearer token,
 * User-Agent, JSON content type, {@code X-ScaleSetMaxCapacity} and the versioned {@code Accept} on the
 * long poll); a request that breaks them is answered 400 and listed in {@link #rejectedRequests()}, and
 * {@link #close()} fails. One session per scale set (a second gets 409
 * {@code RunnerScaleSetSessionConflictException}). Jobs go Available (enqueue) → Assigned (acquire) →
 * Started → Completed; each step queues a job message, packed into numbered messages of at most 50 that
 * stay queued until acknowledged. Jobs start and complete by hand ({@link #startJob}, {@link #completeJob})
 * or, with {@link Builder#runJobs}, by the service itself on its clock ({@link #dispatch()}). The long
 * poll answers at once when a message is ready; otherwise it waits (real time) up to
 * {@link Builder#longPollHold} for one, then answers 202. Token expiry follows the injected clock. The
 * runner endpoints list the scope's runners ({@code runnerScaleSetId} 0 for runners outside a scale set);
 * deleting a busy one gets 409 {@code JobStillRunningException}, an unknown one 404
 * {@code AgentNotFoundException}. Faults: {@link #failNext}, {@link #failExchanges},
 * {@link #loseNextAnswer}. Thread-safe (one lock).
 */
public final class FakeScaleSetService implements AutoCloseable {
  /** The wording the real service uses for a second session (actions-runner-controller#4285). */
  static final String CONFLICT_TYPE = "GitHub.Actions.Runtime.WebApi.RunnerScaleSetSessionConflictException";
  static final String NOT_FOUND_TYPE = "GitHub.Actions.Runtime.WebApi.RunnerScaleSetNotFoundException";
  static final String ADMIN_TYPE = "GitHub.DistributedTask.WebApi.RunnerAdminException";
  static final String AGENT_EXISTS_TYPE = "GitHub.DistributedTask.WebApi.AgentExistsException";
  static final String AGENT_NOT_FOUND_TYPE = "GitHub.DistributedTask.WebApi.AgentNotFoundException";
  static final String JOB_STILL_RUNNING_TYPE = "GitHub.DistributedTask.WebApi.JobStillRunningException";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern SCALE_SET = Pattern.compile("/rest/_apis/runtime/runnerscalesets/(\\d+)(/.*)?");
  private static final Pattern MESSAGE = Pattern.compile("/scalesets/message(?:/(\\d+))?");
  private static final Pattern AGENTS =
      Pattern.compile("/rest/_apis/distributedtask/pools/0/agents(?:/(\\d+))?/?");

  private final FakeGitHub github;
  private final Clock clock;
  private final LoopbackServer server;
  private final String origin;
  private final Random random;
  private final Duration adminTokenLifetime;
  private final Duration queueTokenLifetime;
  private final Duration longPollHold;
  private final Duration jobDuration;

  private final Map<Long, ScaleSetRec> scaleSets = new LinkedHashMap<>();
  private final Map<String, TokenRec> adminTokens = new HashMap<>();
  private final Map<String, TokenRec> queueTokens = new HashMap<>();
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<Long, Job> jobs = new LinkedHashMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final List<String> rejected = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final Deque<int[]> plannedFaults = new ArrayDeque<>();
  private final Deque<Integer> plannedExchangeFaults = new ArrayDeque<>();
  private final Planned<Boolean> lostAnswers = new Planned<>();
  private final ThreadLocal<String> currentOperation = new ThreadLocal<>();
  private final Map<Long, Long> runnerScaleSets = new HashMap<>();
  private final Map<Long, Instant> runnersCreatedOn = new HashMap<>();
  private final List<SimulatedRunner> watched = new ArrayList<>();
  private int runnersSeen;
  private long nextScaleSetId = 1;
  private long nextRequestId = 7_848_922;
  private long nextMessageId = 100_060_545;

  private static final class ScaleSetRec {
    long id;
    String scopeKey;
    String name;
    long groupId;
    List<String> labels;
    final List<ObjectNode> pending = new ArrayList<>();
    final Map<Long, String> outbox = new LinkedHashMap<>();
    final List<Long> runners = new ArrayList<>();
  }

  private record TokenRec(String owner, Instant expiresAt, boolean revoked) {}

  private static final class Session {
    String id;
    long scaleSetId;
    String owner;
    String queueToken;
  }

  /** Where a job stands in the service. */
  public enum JobState {
    /** Queued for the scale set ({@code JobAvailable} sent), not acquired yet. */
    AVAILABLE,
    /** Acquired by the scale set's listener ({@code JobAssigned}), waiting for a runner. */
    ASSIGNED,
    /** A runner took it ({@code JobStarted}). */
    RUNNING,
    /** Finished or canceled ({@code JobCompleted}). */
    COMPLETED
  }

  private static final class Job {
    long requestId;
    String jobId;
    long scaleSetId;
    List<String> labels;
    JobState state = JobState.AVAILABLE;
    String runnerName = "";
    long runnerId;
    SimulatedRunner runner;
    String result;
    Instant enqueuedAt;
    Instant assignedAt;
    Instant startedAt;
    Instant completedAt;
  }

  private FakeScaleSetService(Builder builder) {
    this.github = builder.github;
    this.clock = builder.clock != null ? builder.clock : github.clock();
    this.random = new Random(builder.seed);
    this.adminTokenLifetime = builder.adminTokenLifetime;
    this.queueTokenLifetime = builder.queueTokenLifetime;
    this.longPollHold = builder.longPollHold;
    this.jobDuration = builder.jobDuration;
    this.server = LoopbackServer.bind("Actions service", Optional.empty());
    this.origin = server.origin().toString();
    server.start(this::handle);
    github.serveRunnerRegistration(this::exchange);
    IssuedSecrets.register(this, this::issuedSecretKinds);
  }

  /** A builder for a service wired to {@code github}. */
  public static Builder builder(FakeGitHub github) {
    return new Builder(Objects.requireNonNull(github, "github"));
  }

  /** Configures and starts a {@link FakeScaleSetService}. Not thread-safe; use once. */
  public static final class Builder {
    private final FakeGitHub github;
    private Clock clock;
    private long seed;
    private Duration adminTokenLifetime = Duration.ofHours(1);
    private Duration queueTokenLifetime = Duration.ofHours(1);
    private Duration longPollHold = Duration.ZERO;
    private Duration jobDuration;

    private Builder(FakeGitHub github) {
      this.github = github;
    }

    /** The clock for token expiry; the fake GitHub's by default. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Lifetime ({@code exp - iat}) of admin JWTs; unknown for the real service (~1 h seen). */
    public Builder adminTokenLifetime(Duration lifetime) {
      this.adminTokenLifetime = lifetime;
      return this;
    }

    /** Lifetime of message-queue tokens. */
    public Builder queueTokenLifetime(Duration lifetime) {
      this.queueTokenLifetime = lifetime;
      return this;
    }

    /**
     * How long (real time) an empty long poll is held before the 202; zero (the default) answers at once.
     * The real service holds about 50 s; keep tests to a few hundred milliseconds.
     */
    public Builder longPollHold(Duration hold) {
      this.longPollHold = hold;
      return this;
    }

    /**
     * Makes the service run jobs itself (off by default: tests then call {@link #startJob} and
     * {@link #completeJob}). Whenever it handles a request, when {@link #dispatch()} is called and when a
     * job view is read, it catches up with its clock: every assigned job goes to an idle online runner of
     * its scale set started from one of its JIT configs ({@code JobStarted}), and every running job whose
     * runner took it at least {@code jobDuration} ago completes with result {@code succeeded} (the
     * ephemeral runner deregisters and exits 0). A job whose runner died first completes {@code failed}.
     */
    public Builder runJobs(Duration jobDuration) {
      Objects.requireNonNull(jobDuration, "jobDuration");
      if (jobDuration.isNegative()) {
        throw new IllegalArgumentException("jobDuration must not be negative");
      }
      this.jobDuration = jobDuration;
      return this;
    }

    public FakeScaleSetService build() {
      return new FakeScaleSetService(this);
    }
  }

  // ---- addresses and views ---------------------------------------------------------------------

  /** The Actions-service base URL the exchange hands out, {@code http://127.0.0.1:PORT/rest/}. */
  public URI actionsUrl() {
    return URI.create(origin + "/rest/");
  }

  /** A scale set's id by name, if it exists. */
  public synchronized Optional<Long> scaleSetId(String name) {
    return scaleSets.values().stream().filter(s -> s.name.equalsIgnoreCase(name)).map(s -> s.id).findFirst();
  }

  /** A scale set's labels (name first). */
  public synchronized List<String> labels(long scaleSetId) {
    return List.copyOf(set(scaleSetId).labels);
  }

  /** The owner of the scale set's live session, if any. */
  public synchronized Optional<String> sessionOwner(long scaleSetId) {
    return sessions.values().stream().filter(s -> s.scaleSetId == scaleSetId).map(s -> s.owner).findFirst();
  }

  /** Ids of messages queued and not yet acknowledged, in order. */
  public synchronized List<Long> unacknowledgedMessages(long scaleSetId) {
    return List.copyOf(set(scaleSetId).outbox.keySet());
  }

  /** The scope's GitHub runner ids registered through this scale set. */
  public synchronized List<Long> runnerIds(long scaleSetId) {
    return List.copyOf(set(scaleSetId).runners);
  }

  /** Where a job stands, after catching up with the clock. */
  public synchronized JobState jobState(long requestId) {
    dispatch();
    return job(requestId).state;
  }

  /** How many jobs (of every scale set) are in {@code state}, after catching up with the clock. */
  public synchronized int jobsIn(JobState state) {
    dispatch();
    return (int) jobs.values().stream().filter(job -> job.state == state).count();
  }

  /** When the job was enqueued, on the clock. */
  public synchronized Instant enqueuedAt(long requestId) {
    return job(requestId).enqueuedAt;
  }

  /** When the job was acquired (assigned to its scale set), on the clock. */
  public synchronized Optional<Instant> assignedAt(long requestId) {
    dispatch();
    return Optional.ofNullable(job(requestId).assignedAt);
  }

  /**
   * When a runner took the job, on the clock. With {@link Builder#runJobs} that is when the service saw
   * an idle runner for it (it catches up lazily: advance the clock in steps to measure finely).
   */
  public synchronized Optional<Instant> startedAt(long requestId) {
    dispatch();
    return Optional.ofNullable(job(requestId).startedAt);
  }

  /** When the job completed or was canceled, on the clock. */
  public synchronized Optional<Instant> completedAt(long requestId) {
    dispatch();
    return Optional.ofNullable(job(requestId).completedAt);
  }

  /** The result of a completed job ({@code succeeded}, {@code canceled}, {@code failed}, ...). */
  public synchronized Optional<String> result(long requestId) {
    dispatch();
    return Optional.ofNullable(job(requestId).result);
  }

  /** The name of the runner that took the job, once one did. */
  public synchronized Optional<String> runnerOf(long requestId) {
    dispatch();
    Job job = job(requestId);
    return job.startedAt == null ? Optional.empty() : Optional.of(job.runnerName);
  }

  /** Requests received for an operation (e.g. {@code create-session}, {@code get-message}). */
  public synchronized int callCount(String operation) {
    return counts.getOrDefault(operation, 0);
  }

  /** Requests refused because they break the protocol's conventions (a client bug). */
  public synchronized List<String> rejectedRequests() {
    return List.copyOf(rejected);
  }

  /** Every token this fake issued, by kind ({@code admin token}, {@code message queue token}). */
  public synchronized Map<String, String> issuedSecretKinds() {
    return Map.copyOf(secrets);
  }

  // ---- control surface -----------------------------------------------------------------------

  /** A workflow job that targets the scale set: queues {@code JobAvailable}. Returns its runner request id. */
  public synchronized long enqueueJob(long scaleSetId, String... labels) {
    ScaleSetRec set = set(scaleSetId);
    Job job = new Job();
    job.requestId = nextRequestId++;
    job.jobId = "job-" + job.requestId;
    job.scaleSetId = set.id;
    job.labels = labels.length == 0 ? List.of(set.name) : List.of(labels);
    job.enqueuedAt = clock.instant();
    jobs.put(job.requestId, job);
    emit(job, "JobAvailable");
    return job.requestId;
  }

  /** The runner takes the job: {@link SimulatedRunner#acceptJob()} and {@code JobStarted}. */
  public synchronized void startJob(long requestId, SimulatedRunner runner) {
    Job job = job(requestId);
    if (job.state != JobState.ASSIGNED) {
      throw new IllegalStateException("job " + requestId + " is " + job.state + ", not assigned");
    }
    start(job, runner);
  }

  private void start(Job job, SimulatedRunner runner) {
    runner.acceptJob();
    job.state = JobState.RUNNING;
    job.runner = runner;
    job.runnerName = runner.runnerName();
    job.runnerId = runner.githubRunnerId().orElse(0);
    job.startedAt = clock.instant();
    emit(job, "JobStarted");
  }

  /** The job ends: {@link SimulatedRunner#finishJob()} and {@code JobCompleted} with {@code result}. */
  public synchronized void completeJob(long requestId, SimulatedRunner runner, String result) {
    Job job = job(requestId);
    if (job.state != JobState.RUNNING) {
      throw new IllegalStateException("job " + requestId + " is " + job.state + ", not running");
    }
    runner.finishJob();
    complete(job, result);
  }

  /**
   * Cancels a job wherever it is: {@code JobCompleted} with result {@code canceled}. A running job ends on
   * its runner too (the ephemeral runner deregisters and exits 0); a waiting one affects no runner.
   * Idempotent: a completed job stays as it is.
   */
  public synchronized void cancelJob(long requestId) {
    Job job = job(requestId);
    if (job.state == JobState.COMPLETED) {
      return;
    }
    if (job.state == JobState.RUNNING && job.runner != null && job.runner.isBusy()) {
      job.runner.finishJob();
    }
    complete(job, "canceled");
  }

  /**
   * GitHub reassigns a job the scale set holds (research §3.8: up to three times): {@code JobCompleted} with
   * result {@code canceled}, then {@code JobAssigned} again for the same request; the job stays assigned and
   * the statistics do not change. Only for an assigned job.
   */
  public synchronized void reassignJob(long requestId) {
    Job job = job(requestId);
    if (job.state != JobState.ASSIGNED) {
      throw new IllegalStateException("job " + requestId + " is " + job.state + ", not assigned");
    }
    emit(job, "JobCompleted").put("result", "canceled");
    emit(job, "JobAssigned");
  }

  private void complete(Job job, String result) {
    job.state = JobState.COMPLETED;
    job.result = result;
    job.completedAt = clock.instant();
    emit(job, "JobCompleted").put("result", result);
  }

  /**
   * Catches up with the clock: polls every simulated runner started from a JIT config of this service's
   * scale sets (so booted ones connect and removed idle ones exit) and, with {@link Builder#runJobs},
   * completes the running jobs whose time is up and gives assigned jobs to idle online runners of their
   * scale set, oldest job first. Called on every request; tests call it after advancing the clock. Never
   * blocks for long; idempotent at a given instant.
   */
  public synchronized void dispatch() {
    List<SimulatedRunner> all = github.scaleSetRunners();
    watched.addAll(all.subList(Math.min(runnersSeen, all.size()), all.size()));
    runnersSeen = all.size();
    Map<Long, Deque<SimulatedRunner>> idle = new HashMap<>();
    for (Iterator<SimulatedRunner> it = watched.iterator(); it.hasNext(); ) {
      SimulatedRunner runner = it.next();
      runner.poll();
      if (runner.exitCode().isPresent()) {
        it.remove();
      } else if (jobDuration != null && runner.isOnline() && !runner.isBusy()) {
        Long setId = runnerScaleSets.get(runner.githubRunnerId().orElse(-1));
        if (setId != null && scaleSets.containsKey(setId)) {
          idle.computeIfAbsent(setId, id -> new ArrayDeque<>()).add(runner);
        }
      }
    }
    if (jobDuration == null) {
      return;
    }
    Instant now = clock.instant();
    for (Job job : jobs.values()) {
      if (job.state != JobState.RUNNING || job.runner == null) {
        continue;
      }
      if (job.runner.exitCode().isPresent()) {
        complete(job, "failed");
      } else if (!now.isBefore(job.startedAt.plus(jobDuration))) {
        job.runner.finishJob();
        complete(job, "succeeded");
      }
    }
    for (Job job : jobs.values()) {
      Deque<SimulatedRunner> runners = idle.get(job.scaleSetId);
      if (job.state == JobState.ASSIGNED && runners != null && !runners.isEmpty()) {
        start(job, runners.poll());
      }
    }
  }

  /** Makes every admin JWT issued so far invalid (401) from now on, as expiry would. */
  public synchronized void expireAdminTokens() {
    adminTokens.replaceAll((token, rec) -> new TokenRec(rec.owner(), rec.expiresAt(), true));
  }

  /** Makes every message-queue token issued so far invalid (401); wakes held polls so they see it. */
  public synchronized void expireQueueTokens() {
    queueTokens.replaceAll((token, rec) -> new TokenRec(rec.owner(), rec.expiresAt(), true));
    notifyAll();
  }

  /** Drops the scale set's session as the broker does when it evicts one (refresh then gets 404). */
  public synchronized void evictSession(long scaleSetId) {
    sessions.values().removeIf(s -> s.scaleSetId == scaleSetId);
    notifyAll();
  }

  /** Deletes the scale set server-side (as GitHub does after a day offline). */
  public synchronized void deleteScaleSet(long scaleSetId) {
    scaleSets.remove(scaleSetId);
    sessions.values().removeIf(s -> s.scaleSetId == scaleSetId);
    notifyAll();
  }

  /**
   * The next {@code count} Actions-service requests (queue included) fail with {@code status}, with
   * {@code Retry-After: retryAfterSeconds} when that is not negative.
   */
  public synchronized void failNext(int count, int status, int retryAfterSeconds) {
    for (int i = 0; i < count; i++) {
      plannedFaults.add(new int[] {status, retryAfterSeconds});
    }
  }

  /**
   * The next {@code times} requests of {@code operation} that succeed take effect and then get no answer:
   * the connection is closed before any status line (a reset, as the other fakes' lost answers), so the
   * client sees an I/O error and may retry. Operations are the names {@link #callCount} counts:
   * {@code generate-jit-config}, {@code delete-runner}, {@code get-runner}, {@code list-runners},
   * {@code get-runner-by-name}, {@code get-message}, {@code delete-message}, {@code acquire-jobs},
   * {@code create-session}, ... Requests answered with an error do not use the plan. Note that the JDK
   * HTTP client may silently resend a GET once when a reused connection closes without an answer.
   */
  public synchronized void loseNextAnswer(String operation, int times) {
    lostAnswers.add(Objects.requireNonNull(operation, "operation"), Boolean.TRUE, times);
  }

  /** The next {@code count} runner-registration exchanges answer {@code status} (e.g. 401, 403). */
  public synchronized void failExchanges(int count, int status) {
    for (int i = 0; i < count; i++) {
      plannedExchangeFaults.add(status);
    }
  }

  // ---- the exchange (called by the fake GitHub) ----------------------------------------------

  private synchronized RunnerRegistrationExchange.Answer exchange(String scopeKey) {
    counts.merge("runner-registration", 1, Integer::sum);
    if (!plannedExchangeFaults.isEmpty()) {
      return new RunnerRegistrationExchange.Answer(plannedExchangeFaults.poll(), null, null);
    }
    String token = jwt(scopeKey, adminTokenLifetime);
    adminTokens.put(token, new TokenRec(scopeKey, clock.instant().plus(adminTokenLifetime), false));
    secrets.put(token, "admin token");
    return new RunnerRegistrationExchange.Answer(201, actionsUrl().toString(), token);
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private record Answer(int status, JsonNode body, Map<String, String> headers) {
    static Answer of(int status, JsonNode body) {
      return new Answer(status, body, Map.of());
    }
  }

  private static final class Refused extends RuntimeException {
    final Answer answer;

    Refused(int status, String typeName, String message) {
      this(status, typeName, message, Map.of());
    }

    Refused(int status, String typeName, String message, Map<String, String> headers) {
      super(message, null, false, false);
      ObjectNode body = MAPPER.createObjectNode().put("typeName", typeName).put("message", message);
      this.answer = new Answer(status, body, headers);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    currentOperation.remove();
    Answer answer;
    try {
      dispatch();
      answer = route(exchange, method, path, query, body);
    } catch (Refused e) {
      answer = e.answer;
    } catch (RuntimeException e) {
      synchronized (this) {
        failures.add(method + " " + path + ": the fake itself failed: " + e);
      }
      answer = Answer.of(500, MAPPER.createObjectNode().put("message", "fake failure"));
    }
    String operation = currentOperation.get();
    if (answer.status() >= 200 && answer.status() < 300 && operation != null && answerLost(operation)) {
      // The request took effect; closing the exchange before any response header drops the connection.
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("ActivityId", new java.util.UUID(random.nextLong(), 7).toString());
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    byte[] bytes = answer.body() == null ? null : MAPPER.writeValueAsBytes(answer.body());
    try (exchange) {
      if (bytes == null) {
        exchange.sendResponseHeaders(answer.status(), -1);
      } else {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private synchronized boolean answerLost(String operation) {
    if (lostAnswers.next(operation).isPresent()) {
      counts.merge("lost-answer", 1, Integer::sum);
      return true;
    }
    return false;
  }

  private Answer route(HttpExchange exchange, String method, String path, Map<String, String> query, String body) {
    Matcher message = MESSAGE.matcher(path);
    if (message.matches()) {
      String op = message.group(1) == null ? "get-message" : "delete-message";
      count(op);
      checkCommon(exchange, method + " " + path, body, false);
      if (message.group(1) == null) {
        expect(method, "GET", path);
        return getMessage(exchange, query);
      }
      expect(method, "DELETE", path);
      synchronized (this) {
        Session session = queueSession(exchange);
        set(session.scaleSetId).outbox.remove(Long.parseLong(message.group(1)));
        return Answer.of(204, null);
      }
    }
    if (!path.startsWith("/rest/_apis/")) {
      throw new Refused(404, "NotFound", "no such path: " + path);
    }
    checkCommon(exchange, method + " " + path, body, true);
    if (!"6.0-preview".equals(query.get("api-version"))) {
      reject(method + " " + path + ": no api-version=6.0-preview query");
      throw new Refused(400, "VssInvalidPreviewVersionException", "The api-version query parameter is missing.");
    }
    JsonNode json = body.isBlank() ? null : parse(body);
    synchronized (this) {
      Matcher agents = AGENTS.matcher(path);
      if (agents.matches()) {
        return agentsOperation(exchange, method, agents.group(1), query);
      }
      if (path.equals("/rest/_apis/runtime/runnergroups/") || path.equals("/rest/_apis/runtime/runnergroups")) {
        count("get-runner-group");
        String scope = admin(exchange);
        ArrayNode value = MAPPER.createArrayNode();
        github.runnerGroups(scope).forEach((id, name) -> {
          if (name.equalsIgnoreCase(query.getOrDefault("groupName", ""))) {
            value.addObject().put("id", id).put("name", name).put("size", 0).put("isDefaultGroup", id == 1);
          }
        });
        return Answer.of(200, MAPPER.createObjectNode().put("count", value.size()).set("value", value));
      }
      if (path.equals("/rest/_apis/runtime/runnerscalesets")) {
        String scope = admin(exchange);
        if (method.equals("GET")) {
          count("get-scale-set");
          ArrayNode value = MAPPER.createArrayNode();
          scaleSets.values().stream().filter(s -> s.scopeKey.equals(scope))
              .filter(s -> s.name.equalsIgnoreCase(query.getOrDefault("name", s.name)))
              .filter(s -> !query.containsKey("runnerGroupId")
                  || Long.toString(s.groupId).equals(query.get("runnerGroupId")))
              .forEach(s -> value.add(scaleSetJson(s)));
          return Answer.of(200, MAPPER.createObjectNode().put("count", value.size()).set("value", value));
        }
        expect(method, "POST", path);
        count("create-scale-set");
        return Answer.of(200, scaleSetJson(createScaleSet(scope, requireBody(json, path))));
      }
      Matcher m = SCALE_SET.matcher(path);
      if (!m.matches()) {
        throw new Refused(404, "NotFound", "no such path: " + path);
      }
      String rest = m.group(2) == null ? "" : m.group(2);
      boolean queueAuth = rest.equals("/acquirejobs");
      String scope = queueAuth ? null : admin(exchange);
      ScaleSetRec set = scaleSets.get(Long.parseLong(m.group(1)));
      if (set == null || (scope != null && !set.scopeKey.equals(scope))) {
        count("scale-set-not-found");
        throw new Refused(404, NOT_FOUND_TYPE, "The runner scale set " + m.group(1) + " does not exist.");
      }
      return scaleSetOperation(exchange, method, rest, set, json, path);
    }
  }

  private Answer scaleSetOperation(HttpExchange exchange, String method, String rest, ScaleSetRec set,
      JsonNode json, String path) {
    switch (rest) {
      case "" -> {
        if (method.equals("GET")) {
          count("get-scale-set");
          return Answer.of(200, scaleSetJson(set));
        }
        if (method.equals("DELETE")) {
          count("delete-scale-set");
          scaleSets.remove(set.id);
          sessions.values().removeIf(s -> s.scaleSetId == set.id);
          return Answer.of(204, null);
        }
        expect(method, "PATCH", path);
        count("update-scale-set");
        requireBody(json, path);
        if (json.hasNonNull("name")) {
          set.name = json.get("name").asText();
        }
        if (json.hasNonNull("runnerGroupId")) {
          set.groupId = json.get("runnerGroupId").asLong();
        }
        if (json.has("labels")) {
          set.labels = labels(json);
        }
        return Answer.of(200, scaleSetJson(set));
      }
      case "/sessions" -> {
        expect(method, "POST", path);
        count("create-session");
        requireBody(json, path);
        if (sessions.values().stream().anyMatch(s -> s.scaleSetId == set.id)) {
          throw new Refused(409, CONFLICT_TYPE, "The actions runner scaleset " + set.name
              + " already has an active session.");
        }
        Session session = new Session();
        session.id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        session.scaleSetId = set.id;
        session.owner = json.path("ownerName").asText("");
        sessions.put(session.id, session);
        return Answer.of(200, sessionJson(session, set));
      }
      case "/acquirejobs" -> {
        expect(method, "POST", path);
        count("acquire-jobs");
        Session session = queueSession(exchange);
        if (session.scaleSetId != set.id || json == null || !json.isArray()) {
          reject("POST " + path + ": body must be a JSON array of runner request ids for the session's scale set");
          throw new Refused(400, "ArgumentException", "Invalid request body.");
        }
        ArrayNode value = MAPPER.createArrayNode();
        for (JsonNode id : json) {
          Job job = jobs.get(id.asLong());
          if (job != null && job.scaleSetId == set.id && job.state == JobState.AVAILABLE) {
            job.state = JobState.ASSIGNED;
            job.assignedAt = clock.instant();
            emit(job, "JobAssigned");
            value.add(job.requestId);
          }
        }
        return Answer.of(200, MAPPER.createObjectNode().put("count", value.size()).set("value", value));
      }
      case "/generatejitconfig" -> {
        expect(method, "POST", path);
        count("generate-jit-config");
        requireBody(json, path);
        String name = json.path("name").asText("");
        FakeGitHub.IssuedJit issued;
        try {
          issued = github.issueScaleSetJit(set.scopeKey, name, set.groupId, set.labels);
        } catch (IllegalStateException e) {
          throw new Refused(409, AGENT_EXISTS_TYPE, "Agent exists with the name " + name + ".");
        }
        set.runners.add(issued.runnerId());
        runnerScaleSets.put(issued.runnerId(), set.id);
        runnersCreatedOn.put(issued.runnerId(), clock.instant());
        ObjectNode out = MAPPER.createObjectNode();
        out.putObject("runner").put("id", issued.runnerId()).put("name", issued.runnerName())
            .put("runnerScaleSetId", set.id);
        out.put("encodedJITConfig", issued.encodedJitConfig());
        return Answer.of(200, out);
      }
      default -> {
        if (rest.startsWith("/sessions/")) {
          String id = rest.substring("/sessions/".length());
          Session session = sessions.get(id);
          if (method.equals("DELETE")) {
            count("delete-session");
            if (session == null) {
              throw new Refused(404, ADMIN_TYPE, "session " + id + " does not exist");
            }
            sessions.remove(id);
            notifyAll();
            return Answer.of(204, null);
          }
          expect(method, "PATCH", path);
          count("refresh-session");
          if (session == null || session.scaleSetId != set.id) {
            throw new Refused(404, ADMIN_TYPE, "runner referenced a session ID that doesn't exist in redis");
          }
          return Answer.of(200, sessionJson(session, set));
        }
        throw new Refused(404, "NotFound", "no such path: " + path);
      }
    }
  }

  private Answer agentsOperation(HttpExchange exchange, String method, String id, Map<String, String> query) {
    String scope = admin(exchange);
    if (id == null) {
      expect(method, "GET", "agents");
      String name = query.get("agentName");
      count(name == null ? "list-runners" : "get-runner-by-name");
      ArrayNode value = MAPPER.createArrayNode();
      github.runners(scope).stream().filter(r -> name == null || r.name().equalsIgnoreCase(name))
          .forEach(r -> value.add(agentJson(r)));
      return Answer.of(200, MAPPER.createObjectNode().put("count", value.size()).set("value", value));
    }
    long runnerId = Long.parseLong(id);
    Optional<FakeRunner> runner = github.runner(scope, runnerId);
    if (method.equals("DELETE")) {
      count("delete-runner");
      FakeRunner found = runner.orElseThrow(() -> agentNotFound(runnerId));
      if (found.busy()) {
        throw new Refused(409, JOB_STILL_RUNNING_TYPE, "The agent " + found.name()
            + " is still running a job and cannot be deleted.");
      }
      github.removeRunner(scope, runnerId);
      return Answer.of(204, null);
    }
    expect(method, "GET", "agents/" + id);
    count("get-runner");
    return Answer.of(200, agentJson(runner.orElseThrow(() -> agentNotFound(runnerId))));
  }

  private static Refused agentNotFound(long runnerId) {
    return new Refused(404, AGENT_NOT_FOUND_TYPE, "Agent " + runnerId + " does not exist in pool 0.");
  }

  private ObjectNode agentJson(FakeRunner runner) {
    ObjectNode out = MAPPER.createObjectNode().put("id", runner.id()).put("name", runner.name())
        .put("status", runner.status()).put("busy", runner.busy()).put("enabled", true)
        .put("ephemeral", runner.ephemeral())
        .put("runnerScaleSetId", runnerScaleSets.getOrDefault(runner.id(), 0L));
    Instant created = runnersCreatedOn.get(runner.id());
    if (created != null) {
      out.put("createdOn", created.toString());
    }
    ArrayNode labels = out.putArray("labels");
    runner.labels().forEach(label -> labels.addObject().put("type", "system").put("name", label));
    return out;
  }

  private Answer getMessage(HttpExchange exchange, Map<String, String> query) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    String capacity = exchange.getRequestHeaders().getFirst("X-ScaleSetMaxCapacity");
    if (accept == null || !accept.contains("api-version=6.0-preview") || capacity == null
        || !capacity.matches("\\d+")) {
      reject("GET /scalesets/message: needs Accept with api-version=6.0-preview and a non-negative"
          + " X-ScaleSetMaxCapacity");
      throw new Refused(400, "ArgumentException", "Invalid request headers.");
    }
    long last = query.containsKey("lastMessageId") ? Long.parseLong(query.get("lastMessageId")) : 0;
    long deadline = System.nanoTime() + longPollHold.toNanos();
    synchronized (this) {
      while (true) {
        dispatch();
        Session session = queueSession(exchange);
        ScaleSetRec set = scaleSets.get(session.scaleSetId);
        Optional<Map.Entry<Long, String>> ready = set.outbox.entrySet().stream().filter(e -> e.getKey() > last)
            .findFirst();
        if (ready.isEmpty() && !set.pending.isEmpty()) {
          ArrayNode batch = MAPPER.createArrayNode();
          List<ObjectNode> take = new ArrayList<>(set.pending.subList(0, Math.min(50, set.pending.size())));
          set.pending.subList(0, take.size()).clear();
          take.forEach(batch::add);
          set.outbox.put(nextMessageId++, batch.toString());
          continue;
        }
        if (ready.isPresent()) {
          ObjectNode envelope = MAPPER.createObjectNode().put("messageId", ready.get().getKey())
              .put("messageType", "RunnerScaleSetJobMessages").put("body", ready.get().getValue());
          envelope.set("statistics", statistics(set));
          return Answer.of(200, envelope);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return Answer.of(202, null);
        }
        try {
          wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Answer.of(202, null);
        }
      }
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private ObjectNode emit(Job job, String type) {
    ScaleSetRec set = scaleSets.get(job.scaleSetId);
    ObjectNode message = MAPPER.createObjectNode().put("messageType", type).put("runnerRequestId", job.requestId)
        .put("jobId", job.jobId).put("repositoryName", "app").put("ownerName", "octo")
        .put("jobDisplayName", "build").put("workflowRunId", 1000 + job.requestId % 1000)
        .put("eventName", "push").put("queueTime", clock.instant().toString());
    job.labels.forEach(message.putArray("requestLabels")::add);
    if (type.equals("JobAvailable")) {
      message.put("acquireJobUrl",
          origin + "/rest/_apis/runtime/runnerscalesets/" + job.scaleSetId + "/acquirejobs");
    }
    if (type.equals("JobStarted") || type.equals("JobCompleted")) {
      message.put("runnerId", job.runnerId).put("runnerName", job.runnerName);
    }
    if (set != null) {
      set.pending.add(message);
    }
    notifyAll();
    return message;
  }

  private ObjectNode statistics(ScaleSetRec set) {
    int available = 0;
    int assigned = 0;
    int running = 0;
    for (Job job : jobs.values()) {
      if (job.scaleSetId != set.id) {
        continue;
      }
      available += job.state == JobState.AVAILABLE ? 1 : 0;
      assigned += job.state == JobState.ASSIGNED || job.state == JobState.RUNNING ? 1 : 0;
      running += job.state == JobState.RUNNING ? 1 : 0;
    }
    int registered = 0;
    int busy = 0;
    for (long id : set.runners) {
      var runner = github.runner(set.scopeKey, id);
      if (runner.isPresent()) {
        registered++;
        busy += runner.get().busy() ? 1 : 0;
      }
    }
    return MAPPER.createObjectNode().put("totalAvailableJobs", available).put("totalAcquiredJobs", 0)
        .put("totalAssignedJobs", assigned).put("totalRunningJobs", running)
        .put("totalRegisteredRunners", registered).put("totalBusyRunners", busy)
        .put("totalIdleRunners", registered - busy);
  }

  private ScaleSetRec createScaleSet(String scope, JsonNode json) {
    String name = json.path("name").asText("");
    long groupId = json.path("runnerGroupId").asLong(1);
    if (name.isBlank() || !github.runnerGroups(scope).containsKey(groupId)) {
      throw new Refused(400, "ArgumentException", "A scale set needs a name and an existing runner group.");
    }
    if (scaleSets.values().stream().anyMatch(s -> s.scopeKey.equals(scope) && s.groupId == groupId
        && s.name.equalsIgnoreCase(name))) {
      throw new Refused(409, "GitHub.Actions.Runtime.WebApi.RunnerScaleSetExistsException",
          "A runner scale set named " + name + " already exists in this runner group.");
    }
    if (!json.has("RunnerSetting") && !json.has("runnerSetting")) {
      reject("POST runnerscalesets: no RunnerSetting (the clients always send one)");
    }
    ScaleSetRec set = new ScaleSetRec();
    set.id = nextScaleSetId++;
    set.scopeKey = scope;
    set.name = name;
    set.groupId = groupId;
    set.labels = json.has("labels") && json.get("labels").size() > 0 ? labels(json) : List.of(name);
    scaleSets.put(set.id, set);
    return set;
  }

  private static List<String> labels(JsonNode json) {
    List<String> labels = new ArrayList<>();
    json.path("labels").forEach(label -> labels.add(label.path("name").asText()));
    return List.copyOf(labels);
  }

  private ObjectNode scaleSetJson(ScaleSetRec set) {
    ObjectNode out = MAPPER.createObjectNode().put("id", set.id).put("name", set.name)
        .put("runnerGroupId", set.groupId)
        .put("runnerGroupName", github.runnerGroups(set.scopeKey).getOrDefault(set.groupId, ""));
    ArrayNode labels = out.putArray("labels");
    set.labels.forEach(label -> labels.addObject().put("type", "System").put("name", label));
    out.putObject("RunnerSetting").put("ephemeral", true).put("disableUpdate", true);
    out.put("runnerJitConfigUrl", origin + "/rest/_apis/runtime/runnerscalesets/" + set.id + "/generatejitconfig");
    out.set("statistics", statistics(set));
    return out;
  }

  private ObjectNode sessionJson(Session session, ScaleSetRec set) {
    String token = jwt("session:" + session.id, queueTokenLifetime);
    queueTokens.put(token, new TokenRec(session.id, clock.instant().plus(queueTokenLifetime), false));
    secrets.put(token, "message queue token");
    session.queueToken = token;
    ObjectNode out = MAPPER.createObjectNode().put("sessionId", session.id).put("ownerName", session.owner);
    out.set("runnerScaleSet", scaleSetJson(set));
    out.put("messageQueueUrl", origin + "/scalesets/message").put("messageQueueAccessToken", token);
    out.set("statistics", statistics(set));
    return out;
  }

  private void checkCommon(HttpExchange exchange, String what, String body, boolean admin) {
    if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
      reject(what + ": no User-Agent");
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (!body.isBlank() && (type == null || !type.startsWith("application/json"))) {
      reject(what + ": a body without Content-Type application/json");
    }
    synchronized (this) {
      if (!plannedFaults.isEmpty()) {
        int[] fault = plannedFaults.poll();
        throw new Refused(fault[0], "FakeInjectedFault", "injected failure " + fault[0],
            fault[1] >= 0 ? Map.of("Retry-After", Integer.toString(fault[1])) : Map.of());
      }
    }
  }

  private String admin(HttpExchange exchange) {
    TokenRec rec = bearer(exchange, adminTokens);
    return rec.owner();
  }

  private Session queueSession(HttpExchange exchange) {
    TokenRec rec = bearer(exchange, queueTokens);
    Session session = sessions.get(rec.owner());
    if (session == null || !rec.owner().equals(session.id)) {
      throw new Refused(401, "UnauthorizedException", "The session of this token no longer exists.");
    }
    if (!queueTokens.containsKey(session.queueToken) || !session.queueToken.equals(token(exchange))) {
      throw new Refused(401, "UnauthorizedException", "This message queue token was replaced.");
    }
    return session;
  }

  private synchronized TokenRec bearer(HttpExchange exchange, Map<String, TokenRec> tokens) {
    TokenRec rec = tokens.get(token(exchange));
    if (rec == null || rec.revoked() || !clock.instant().isBefore(rec.expiresAt())) {
      throw new Refused(401, "UnauthorizedException", "The token is not valid or has expired.");
    }
    return rec;
  }

  private static String token(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
  }

  private String jwt(String subject, Duration lifetime) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long now = clock.instant().getEpochSecond();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(MAPPER.createObjectNode().put("sub", subject).put("iat", now)
        .put("exp", now + lifetime.toSeconds()).toString().getBytes(StandardCharsets.UTF_8));
    byte[] signature = new byte[32];
    random.nextBytes(signature);
    return header + "." + payload + "." + b64.encodeToString(signature);
  }

  private synchronized void count(String operation) {
    currentOperation.set(operation);
    counts.merge(operation, 1, Integer::sum);
  }

  private synchronized void reject(String reason) {
    rejected.add(reason);
  }

  private void expect(String method, String wanted, String path) {
    if (!method.equals(wanted)) {
      throw new Refused(405, "MethodNotAllowed", method + " is not allowed on " + path);
    }
  }

  private JsonNode requireBody(JsonNode json, String path) {
    if (json == null || !json.isObject()) {
      reject(path + ": needs a JSON object body");
      throw new Refused(400, "ArgumentNullException", "Value cannot be null.");
    }
    return json;
  }

  private JsonNode parse(String body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      reject("a body that is not JSON");
      throw new Refused(400, "ArgumentException", "The request body is not valid JSON.");
    }
  }

  private ScaleSetRec set(long id) {
    ScaleSetRec set = scaleSets.get(id);
    if (set == null) {
      throw new IllegalArgumentException("no scale set " + id);
    }
    return set;
  }

  private Job job(long requestId) {
    Job job = jobs.get(requestId);
    if (job == null) {
      throw new IllegalArgumentException("no job " + requestId);
    }
    return job;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (!pair.isEmpty()) {
        out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Stops the server and fails if a request broke the protocol's conventions or the fake itself failed.
   *
   * @throws AssertionError listing them
   */
  @Override
  public void close() {
    server.close();
    List<String> problems = new ArrayList<>(rejectedRequests());
    synchronized (this) {
      problems.addAll(failures);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("the fake scale-set service saw " + problems.size() + " problem(s):\n  "
          + String.join("\n  ", problems));
    }
  }
}
