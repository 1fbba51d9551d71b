package io.oneshot.serve;

import static org.assertj.core.api.Assertions.fail;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.FixedDelay;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import io.grpc.ManagedChannelBuilder;
import io.oneshot.backend.aci.AciLauncherProvider;
import io.oneshot.backend.cloudrun.CloudRunLauncherProvider;
import io.oneshot.backend.ecs.EcsLauncherProvider;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.aci.AciCall;
import io.oneshot.fakes.aci.AciFaults;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.cloudrun.CloudRunCall;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.ecs.EcsCall;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.fakes.scaleset.FakeScaleSetService.JobState;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.RetryPolicy;
import io.oneshot.pool.PoolListener;
import io.oneshot.pool.PoolRunner;
import io.oneshot.pool.PoolSettings;
import io.oneshot.pool.RemovalReason;
import io.oneshot.pool.RunnerPool;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetSettings;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * A fake GitHub organization with the scale-set service (the service runs each job for 30 s on the
 * simulated runner that takes it), one cloud fake, and the real backend launcher built by its provider with
 * the real SDK clients pointed at that fake, as {@code oneshot serve} builds its launcher. Pools are driven
 * through their public API only; {@link #await} moves the shared clock on in step with the pool's loop.
 */
final class ServeFixture implements AutoCloseable {
  /** The backends a pool can serve on. */
  enum Backend { ECS, CLOUDRUN, ACI }

  static final String SCALE_SET = "serve-pool";
  static final Duration JOB = Duration.ofSeconds(30);
  /** The scale-set service's operations, for the per-job call report. */
  static final List<String> SCALE_SET_OPERATIONS = List.of("get-runner-group", "get-scale-set", "create-scale-set",
      "update-scale-set", "create-session", "refresh-session", "delete-session", "get-message", "delete-message",
      "acquire-jobs", "generate-jit-config", "list-runners", "get-runner", "get-runner-by-name", "delete-runner");
  private static final String IMAGE = "ghcr.io/oneshot/runner:test";
  private static final String RESOURCE_GROUP = "runners";
  /** The SDK's standard retries, with millisecond backoff so a retried RunTask stays fast. */
  private static final RetryStrategy FAST_RETRIES = AwsRetryStrategy.standardRetryStrategy().toBuilder()
      .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(20)))
      .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(20)))
      .build();

  /** One container as the cloud fake holds it (no API call), normalised across clouds. */
  record CloudContainer(String id, Map<String, String> tags, boolean live, String state) {
    String runnerName() {
      return tags.getOrDefault(OwnershipTags.RUNNER, "");
    }

    String owner() {
      return tags.getOrDefault(OwnershipTags.OWNER, "");
    }
  }

  final Backend backend;
  final TestClock clock = TestClock.atEpochOfTests();
  final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(7).build();
  final String scopeKey = github.addOrganization("octo");
  final GitHubScope scope = new GitHubScope.Organization("octo");
  final FakeScaleSetService service;
  final GitHubClient rest;
  final FakeEcs ecs;
  final FakeCloudRun run;
  final FakeAci aci;
  final RunnerLauncher launcher;
  final Recorder recorder = new Recorder();
  private final List<RunnerPool> pools = new ArrayList<>();

  ServeFixture(Backend backend) {
    this(backend, Map.of());
  }

  /** The fakes, and the backend's launcher for START built from these settings on top of the defaults. */
  ServeFixture(Backend backend, Map<String, String> extraSettings) {
    this.backend = backend;
    service = FakeScaleSetService.builder(github).seed(11).longPollHold(Duration.ofMillis(20)).runJobs(JOB).build();
    rest = GitHubClient.builder().apiUrl(github.apiUrl()).scope(scope)
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(3)).build();
    Map<String, String> values = new HashMap<>();
    RunnerLauncherProvider provider;
    switch (backend) {
      case ECS -> {
        ecs = FakeEcs.builder().github(github).clock(clock).seed(22).build();
        run = null;
        aci = null;
        ecs.addCluster("runners");
        ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("oneshot-runner", "runner", IMAGE));
        ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
        ecs.addSecurityGroup("sg-0a1b2c3d4e5f60003", "runners", "vpc-0a1b2c3d", Map.of("oneshot", "runners"));
        values.putAll(Map.of("region", "us-east-1", "cluster", "runners", "task-definition", "oneshot-runner",
            "subnets-tag", "oneshot:runners", "security-groups-tag", "oneshot:runners"));
        provider = new EcsLauncherProvider(builder -> builder.endpoint(ecs.endpoint())
            .overrideConfiguration(o -> o.retryStrategy(FAST_RETRIES)));
      }
      case CLOUDRUN -> {
        ecs = null;
        run = FakeCloudRun.builder().github(github).clock(clock).seed(32).project("proj-one").region("europe-west1")
            .loopback(true).build();
        aci = null;
        run.addJob(CloudRunJobSpec.runner("runners", "runner", IMAGE));
        values.putAll(Map.of("project", "proj-one", "region", "europe-west1", "job", "runners"));
        provider = new CloudRunLauncherProvider(builder -> builder.credentialsProvider(NoCredentialsProvider.create())
            .transportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(run.endpoint())
                .setChannelConfigurator(ManagedChannelBuilder::usePlaintext).build()));
      }
      case ACI -> {
        ecs = null;
        run = null;
        aci = FakeAci.builder().github(github).clock(clock).seed(42).build();
        aci.addResourceGroup(RESOURCE_GROUP, "westeurope");
        values.putAll(Map.of("subscription-id", aci.subscriptionId(), "resource-group", RESOURCE_GROUP,
            "location", "westeurope", "image", IMAGE));
        TokenCredential token = request -> Mono.just(new AccessToken("sandbox-token",
            OffsetDateTime.now().plusHours(1)));
        provider = new AciLauncherProvider(builder -> builder.endpoint(aci.endpoint())
            .trustedCertificate(aci.certificate()).credential(token)
            .retryPolicy(new com.azure.core.http.policy.RetryPolicy(new FixedDelay(3, Duration.ofMillis(50)))));
      }
      default -> throw new IllegalArgumentException(backend.toString());
    }
    values.putAll(extraSettings);
    launcher = provider.create(new BackendSettings(values, clock));
  }

  ScaleSetClient scaleSetClient() {
    return ScaleSetClient.builder().github(rest).clock(clock).sleeper(clock.sleeper()).random(new Random(5))
        .retryPolicy(RetryPolicy.defaults()).pollTimeout(Duration.ofSeconds(10)).build();
  }

  static PoolSettings.Builder settings() {
    return PoolSettings.builder(SCALE_SET).labels(List.of("linux")).maxRunners(20).sessionOwner("replica-a");
  }

  /** A pool over this backend, its sleeper sleeping at most 5 ms for real: the test moves the clock. */
  RunnerPool pool(PoolSettings settings) {
    RunnerPool pool = RunnerPool.builder().github(rest).scaleSetClient(scaleSetClient()).launcher(launcher)
        .settings(settings).clock(clock).random(new Random(pools.size() + 1)).listener(recorder)
        .sleeper(duration -> Thread.sleep(Math.min(5, Math.max(1, duration.toMillis())))).build();
    pools.add(pool);
    return pool;
  }

  /** Makes the scale set as the pool will ask for it, so jobs can queue before any pool listens. */
  long createScaleSet() {
    ScaleSetClient client = scaleSetClient();
    long group = client.runnerGroupId("Default");
    return client.getOrCreateScaleSet(new ScaleSetSettings(SCALE_SET, group, List.of("linux"))).id();
  }

  long scaleSetId() {
    return service.scaleSetId(SCALE_SET).orElseThrow();
  }

  long[] enqueue(int jobs) {
    long[] ids = new long[jobs];
    for (int i = 0; i < jobs; i++) {
      ids[i] = service.enqueueJob(scaleSetId());
    }
    return ids;
  }

  boolean allIn(long[] jobs, JobState state) {
    for (long job : jobs) {
      if (service.jobState(job) != state) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves the clock on by {@code tick} after each step the pool's loop completes (or after 200 ms real when
   * none does, as while it backs off) until the condition holds; fails after 10 s real.
   */
  void await(String what, BooleanSupplier condition, Duration tick) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(what + " not reached within 10 s real (clock at " + clock.instant() + "); containers "
            + containers() + ", registrations " + github.runners(scopeKey).size() + ", launch failures "
            + recorder.failures + ", removals " + recorder.removals);
      }
      int steps = recorder.steps.get();
      clock.advance(tick);
      long stepDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      while (recorder.steps.get() <= steps && System.nanoTime() < stepDeadline) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Every job completed, no container live, no registration left (and, on ACI, no container group left). */
  boolean backToZero(long[] jobs) {
    return allIn(jobs, JobState.COMPLETED) && containers().stream().noneMatch(CloudContainer::live)
        && github.runners(scopeKey).isEmpty() && (aci == null || aci.groups().isEmpty());
  }

  /** The cloud's containers of every owner, read from the fake's state (no API call). */
  List<CloudContainer> containers() {
    return switch (backend) {
      case ECS -> ecs.tasks().stream().map(t -> new CloudContainer(t.taskArn(), t.tags(),
          !t.lastStatus().equals("STOPPED"), t.lastStatus() + t.capacityProviderName().map(p -> " on " + p).orElse("")))
          .toList();
      case CLOUDRUN -> run.executions().stream().map(e -> new CloudContainer(e.name(), cloudRunTags(e.environment()),
          !e.finished(), e.state())).toList();
      case ACI -> aci.groups().stream().map(g -> new CloudContainer(g.id(), g.tags(),
          !"Terminated".equals(g.containerState().orElse("")) && !"Failed".equals(g.provisioningState()),
          g.provisioningState() + "/" + g.containerState().orElse("-"))).toList();
    };
  }

  private static Map<String, String> cloudRunTags(Map<String, String> environment) {
    Map<String, String> tags = new HashMap<>();
    Map.of(OwnershipTags.OWNER, "ONESHOT_OWNER", OwnershipTags.RUNNER, "ONESHOT_RUNNER",
        OwnershipTags.LABEL, "ONESHOT_LABEL", OwnershipTags.GITHUB_ID, "ONESHOT_GITHUB_ID")
        .forEach((tag, name) -> Optional.ofNullable(environment.get(name)).ifPresent(v -> tags.put(tag, v)));
    return tags;
  }

  /** The backend's launch call: RunTask, RunJob, or the container group PUT. */
  String launchOperation() {
    return switch (backend) {
      case ECS -> "RunTask";
      case CLOUDRUN -> "RunJob";
      case ACI -> AciFaults.CREATE;
    };
  }

  /** The backend's stop call: StopTask, CancelExecution, or the container group DELETE. */
  String terminateOperation() {
    return switch (backend) {
      case ECS -> "StopTask";
      case CLOUDRUN -> "CancelExecution";
      case ACI -> AciFaults.DELETE;
    };
  }

  int cloudCalls(String operation) {
    return switch (backend) {
      case ECS -> ecs.callCount(operation);
      case CLOUDRUN -> run.callCount(operation);
      case ACI -> aci.callCount(operation);
    };
  }

  /**
   * How many looks the pool has taken at its runners so far: each observation lists the scale set's runners once
   * (the call the tests themselves make only through {@link #scaleSetClient()}, after reading this).
   */
  int looks() {
    return service.callCount("list-runners");
  }

  /** The backend's next launch call takes effect and loses its answer. */
  void loseNextLaunchAnswer() {
    switch (backend) {
      case ECS -> ecs.faults().loseAnswerNext("RunTask", 1);
      case CLOUDRUN -> run.faults().loseAnswerNext("RunJob", 1);
      case ACI -> aci.faults().loseAnswerNext(AciFaults.CREATE, 1);
    }
  }

  /** Every cloud call so far, by operation. */
  Map<String, Long> cloudCallCounts() {
    List<String> operations = switch (backend) {
      case ECS -> ecs.calls().stream().map(EcsCall::operation).toList();
      case CLOUDRUN -> run.calls().stream().map(CloudRunCall::method).toList();
      case ACI -> aci.calls().stream().map(AciCall::operation).toList();
    };
    return new TreeMap<>(operations.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
  }

  /** Every scale-set service call so far, by operation (the ones made at least once). */
  Map<String, Integer> scaleSetCallCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    SCALE_SET_OPERATIONS.forEach(op -> {
      int n = service.callCount(op);
      if (n > 0) {
        counts.put(op, n);
      }
    });
    return counts;
  }

  /** Prints the call counts (operation names and numbers only) for the report. */
  void report(String scenario, int jobs) {
    System.out.printf("[%s] %s: %d jobs, %d loop steps, %s of fake time%n  cloud calls %s%n  scale-set calls %s%n",
        backend, scenario, jobs, recorder.steps.get(), Duration.between(TestClock.atEpochOfTests().instant(),
            clock.instant()), cloudCallCounts(), scaleSetCallCounts());
  }

  @Override
  public void close() {
    List<Throwable> problems = new ArrayList<>();
    for (Runnable closing : List.<Runnable>of(() -> pools.forEach(RunnerPool::close), launcher::close,
        () -> {
          if (ecs != null) {
            ecs.close();
          }
          if (run != null) {
            run.close();
          }
          if (aci != null) {
            aci.close();
          }
        }, service::close, github::close)) {
      try {
        closing.run();
      } catch (RuntimeException | AssertionError e) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      AssertionError error = new AssertionError("closing the fixture failed: " + problems.get(0));
      problems.forEach(error::addSuppressed);
      throw error;
    }
  }

  /** What the pool told its listener. */
  static final class Recorder implements PoolListener {
    final List<String> launched = new CopyOnWriteArrayList<>();
    final List<FailureKind> failures = new CopyOnWriteArrayList<>();
    final List<RemovalReason> removals = new CopyOnWriteArrayList<>();
    final List<String> removedRunners = new CopyOnWriteArrayList<>();
    final AtomicInteger steps = new AtomicInteger();
    volatile int lastDesired = -1;

    @Override
    public void launched(String runnerName) {
      launched.add(runnerName);
    }

    @Override
    public void launchFailed(FailureKind kind, String reason) {
      failures.add(kind);
    }

    @Override
    public void removed(PoolRunner runner, RemovalReason reason) {
      removals.add(reason);
      removedRunners.add(runner.name());
    }

    @Override
    public void observed(io.oneshot.pool.PoolSnapshot snapshot, int desired) {
      lastDesired = desired;
    }

    @Override
    public void stepCompleted(Instant at) {
      steps.incrementAndGet();
    }
  }
}
