package io.oneshot.fakes.cloudrun;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.oneshot.fakes.cloudrun.internal.CallInterceptor;
import io.oneshot.fakes.cloudrun.internal.CloudRunState;
import io.oneshot.fakes.cloudrun.internal.ExecutionRecord;
import io.oneshot.fakes.cloudrun.internal.ExecutionsService;
import io.oneshot.fakes.cloudrun.internal.JobsService;
import io.oneshot.fakes.cloudrun.internal.OperationsService;
import io.oneshot.fakes.cloudrun.internal.TasksService;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful fake of the Cloud Run Admin API v2 over gRPC, built on the generated service stubs of
 * {@code grpc-google-cloud-run-v2}: {@code Jobs.GetJob}, {@code Jobs.RunJob} (a long-running operation
 * whose metadata is the Execution), {@code Executions.GetExecution/ListExecutions/CancelExecution/
 * DeleteExecution}, {@code Tasks.ListTasks/GetTask} and {@code google.longrunning.Operations.GetOperation}.
 * It always serves in-process ({@link #inProcessChannel()}), and by default also in plaintext on
 * 127.0.0.1 ({@link #endpoint()}) for the CLI and the demo. Point the google-cloud-run clients at it with
 * {@code NoCredentialsProvider}.
 *
 * <p>Requests are checked as Cloud Run checks them (resource names, unknown jobs and executions, overrides:
 * see {@code internal.Overrides}) and refused with Cloud Run's status codes; every refusal is listed in
 * {@link #rejectedRequests()}. Executions move lazily on the clock (see {@link CloudRunTimings}); their
 * container runs a {@link SimulatedRunner} started from the override environment against the
 * {@link FakeGitHub}, and the execution succeeds or fails with the runner's exit. Faults come from
 * {@link #faults()}; ids come from the seed, so a run is reproducible.
 *
 * <p>All methods are thread-safe and none blocks except {@link Builder#build()} and {@link #close()}.
 */
public final class FakeCloudRun implements AutoCloseable {
  private final CloudRunState state;
  private final CloudRunFaults faults;
  private final String inProcessName;
  private final Server inProcess;
  private final Server loopback;
  private final ExecutorService executor;

  private FakeCloudRun(Builder builder) {
    state = new CloudRunState(builder.project, builder.region, builder.clock, builder.github, builder.timings,
        builder.seed);
    faults = new CloudRunFaults(state.faults);
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "fake-cloudrun-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    CallInterceptor interceptor = new CallInterceptor(state);
    List<BindableService> services = List.of(new JobsService(state), new ExecutionsService(state),
        new TasksService(state), new OperationsService(state));
    inProcessName = "fake-cloudrun-" + UUID.randomUUID();
    InProcessServerBuilder inProcessBuilder = InProcessServerBuilder.forName(inProcessName).executor(executor);
    services.forEach(s -> inProcessBuilder.addService(ServerInterceptors.intercept(s, interceptor)));
    try {
      inProcess = inProcessBuilder.build().start();
      if (builder.loopback) {
        NettyServerBuilder netty = NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create())
            .executor(executor);
        services.forEach(s -> netty.addService(ServerInterceptors.intercept(s, interceptor)));
        loopback = netty.build().start();
      } else {
        loopback = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Cloud Run", e);
    }
  }

  /** A builder: project {@code oneshot-test}, region {@code us-central1}, seed 0, default timings, loopback on. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a {@link FakeCloudRun}. Not thread-safe; use once. */
  public static final class Builder {
    private FakeGitHub github;
    private Clock clock;
    private long seed;
    private String project = "oneshot-test";
    private String region = "us-central1";
    private CloudRunTimings timings = CloudRunTimings.defaults();
    private boolean loopback = true;

    private Builder() {}

    /** The fake GitHub the executions' runners connect to; without one, containers run until cancelled. */
    public Builder github(FakeGitHub github) {
      this.github = Objects.requireNonNull(github, "github");
      return this;
    }

    /** The clock of the lifecycle (default: the FakeGitHub's); must be the FakeGitHub's if both are set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Seeds every id the fake makes up and the random faults. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    public Builder timings(CloudRunTimings timings) {
      this.timings = Objects.requireNonNull(timings, "timings");
      return this;
    }

    /** Whether to serve on 127.0.0.1 too (plaintext, random port); in-process serving is always on. */
    public Builder loopback(boolean loopback) {
      this.loopback = loopback;
      return this;
    }

    /** Starts the servers (blocks briefly). */
    public FakeCloudRun build() {
      if (clock == null) {
        clock = github != null ? github.clock() : Clock.systemUTC();
      } else if (github != null && clock != github.clock()) {
        throw new IllegalArgumentException("the fake Cloud Run must use its FakeGitHub's clock (runners live on it)");
      }
      return new FakeCloudRun(this);
    }
  }

  // ---- address and setup --------------------------------------------------------------------------

  /** {@code 127.0.0.1:PORT} of the plaintext server. */
  public String endpoint() {
    if (loopback == null) {
      throw new IllegalStateException("this fake Cloud Run serves in-process only; build it with loopback(true)");
    }
    return "127.0.0.1:" + loopback.getPort();
  }

  /** The name of the in-process server. */
  public String inProcessName() {
    return inProcessName;
  }

  /** A new channel to the in-process server; the caller shuts it down. */
  public ManagedChannel inProcessChannel() {
    return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
  }

  public String project() {
    return state.project;
  }

  public String region() {
    return state.region;
  }

  public Clock clock() {
    return state.clock;
  }

  /** Adds (or replaces) a job; returns its full name {@code projects/P/locations/R/jobs/J}. */
  public String addJob(CloudRunJobSpec spec) {
    return state.addJob(Objects.requireNonNull(spec, "spec"));
  }

  /** The full name of a job id in this fake's project and region. */
  public String jobName(String jobId) {
    return state.locationName() + "/jobs/" + jobId;
  }

  // ---- executions ---------------------------------------------------------------------------------

  /** Every execution not deleted, observed now, oldest first. */
  public List<FakeExecution> executions() {
    Instant now = state.clock.instant();
    List<FakeExecution> out = new ArrayList<>();
    for (ExecutionRecord execution : state.allExecutions()) {
      if (!execution.deleted()) {
        out.add(snapshot(execution, now));
      }
    }
    return out;
  }

  /** One execution by full name, observed now (empty once deleted). */
  public Optional<FakeExecution> execution(String name) {
    return state.executionByName(name).filter(e -> !e.deleted()).map(e -> snapshot(e, state.clock.instant()));
  }

  /** The runner process of an execution once its container has started (empty before, or without a FakeGitHub). */
  public Optional<SimulatedRunner> runner(String executionName) {
    return state.executionByName(executionName).flatMap(e -> e.runner(state.clock.instant()));
  }

  /** Brings every execution and runner up to the clock, as if someone had looked. Idempotent; never blocks. */
  public void poll() {
    Instant now = state.clock.instant();
    for (ExecutionRecord execution : state.allExecutions()) {
      execution.runner(now).ifPresent(SimulatedRunner::poll);
      execution.observe(now);
    }
  }

  /**
   * Removes an execution as DeleteExecution (or Cloud Run's expiry) does: Get answers NOT_FOUND and List leaves
   * it out. Idempotent; unknown names are ignored.
   */
  public void forget(String executionName) {
    state.executionByName(executionName).ifPresent(e -> e.delete(state.clock.instant()));
  }

  private static FakeExecution snapshot(ExecutionRecord execution, Instant now) {
    ExecutionRecord.View view = execution.observe(now);
    var template = execution.applied().template().getContainers(execution.applied().runnerContainer());
    Optional<String> failure = view.state() == ExecutionRecord.State.FAILED
        ? Optional.of((view.reason().getNumber() > 0 ? view.reason().name()
            : view.executionReason().getNumber() > 0 ? view.executionReason().name() : "FAILED") + ": " + view.message())
        : Optional.empty();
    return new FakeExecution(execution.name(), execution.jobId(), view.state().name(), execution.runnerEnvironment(),
        execution.applied().overrideEnvNames(), template.getArgsList(), execution.applied().taskCount(),
        execution.timeout(), view.exitCode(), failure);
  }

  // ---- faults and inspection ----------------------------------------------------------------------

  public CloudRunFaults faults() {
    return faults;
  }

  /** Calls received for an RPC ({@code "RunJob"}, {@code "GetOperation"}, ...), faulted and rejected ones included. */
  public int callCount(String method) {
    return state.log.count(method);
  }

  /** Every call answered, in order. */
  public List<CloudRunCall> calls() {
    return state.log.calls();
  }

  /** Requests refused as Cloud Run would refuse them, as {@code "Method: CODE: message"}; injected faults are not listed. */
  public List<String> rejectedRequests() {
    return state.log.rejections();
  }

  /** The fake's own failures (bugs); they fail {@link #close()}. */
  public List<String> internalFailures() {
    return state.log.failures();
  }

  /**
   * Stops both servers.
   *
   * @throws AssertionError listing the fake's internal failures, if any
   */
  @Override
  public void close() {
    inProcess.shutdownNow();
    if (loopback != null) {
      loopback.shutdownNow();
    }
    try {
      inProcess.awaitTermination(5, TimeUnit.SECONDS);
      if (loopback != null) {
        loopback.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    state.log.assertNoProblems("Cloud Run");
  }
}
