package io.oneshot.fakes.ecs;

import io.oneshot.fakes.ecs.internal.EcsHandler;
import io.oneshot.fakes.ecs.internal.EcsState;
import io.oneshot.fakes.ecs.internal.FaultQueues;
import io.oneshot.fakes.ecs.internal.TaskRecord;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.CallLog;
import io.oneshot.fakes.internal.LoopbackServer;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stateful, wire-faithful fake of Amazon ECS (awsJson 1.1: RunTask, DescribeTasks, StopTask,
 * ListTasks, DescribeTaskDefinition) and of EC2's DescribeSubnets and DescribeSecurityGroups (query
 * protocol, XML answers), served together on {@code POST /} at 127.0.0.1 (random port). Point the AWS
 * SDK's {@code EcsClient} and {@code Ec2Client} at {@link #endpoint()}.
 *
 * <p>Requests need a SigV4 {@code Authorization} header (not verified). ECS requests are checked against
 * the bundled botocore model ({@code contracts/ecs-model.json}) and ECS's documented limits, and answered
 * with ECS's error codes; every rejection is listed in {@link #rejectedRequests()}. Tasks move through
 * ECS's lifecycle lazily on the clock (see {@link EcsTimings}); at RUNNING the runner container's
 * environment starts a {@link SimulatedRunner} against the {@link FakeGitHub}, and the task stops with
 * {@code EssentialContainerExited} when that runner exits. Faults come from {@link #faults()}; ids come
 * from the seed, so a run is reproducible.
 *
 * <p>All methods are thread-safe and none blocks except {@link Builder#build()} (starts the server) and
 * {@link #close()}. Setup methods are not idempotent unless stated.
 */
public final class FakeEcs implements AutoCloseable {
  private final LoopbackServer server;
  private final URI endpoint;
  private final EcsState state;
  private final CallLog<EcsCall> log = new CallLog<>(EcsCall::operation);
  private final EcsFaults faults;

  private FakeEcs(Builder builder) {
    FaultQueues queues = new FaultQueues();
    this.faults = new EcsFaults(queues);
    this.state = new EcsState(builder.region, builder.accountId, builder.clock, builder.github, builder.timings,
        builder.seed, queues);
    server = LoopbackServer.bind("ECS", Optional.empty());
    this.endpoint = server.origin();
    server.start(new EcsHandler(state, log));
  }

  /** A builder: region us-east-1, account 123456789012, seed 0, {@link EcsTimings#defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts a {@link FakeEcs}. Not thread-safe; use once. */
  public static final class Builder {
    private FakeGitHub github;
    private Clock clock;
    private long seed;
    private String region = "us-east-1";
    private String accountId = "123456789012";
    private EcsTimings timings = EcsTimings.defaults();

    private Builder() {}

    /**
     * The fake GitHub the tasks' runners connect to. Without one, a task's process runs until StopTask and
     * no runner is simulated.
     */
    public Builder github(FakeGitHub github) {
      this.github = Objects.requireNonNull(github, "github");
      return this;
    }

    /** The clock of the lifecycle (default: the FakeGitHub's, else the system UTC clock); must be the FakeGitHub's if both are set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Seeds every id the fake makes up (task ids, ENIs, IPs, request ids). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** A 12-digit AWS account id. */
    public Builder accountId(String accountId) {
      if (!Objects.requireNonNull(accountId, "accountId").matches("\\d{12}")) {
        throw new IllegalArgumentException("an account id has 12 digits");
      }
      this.accountId = accountId;
      return this;
    }

    public Builder timings(EcsTimings timings) {
      this.timings = Objects.requireNonNull(timings, "timings");
      return this;
    }

    /** Starts the server (blocks briefly; the first fake in a JVM also reads the ECS model). */
    public FakeEcs build() {
      if (clock == null) {
        clock = github != null ? github.clock() : Clock.systemUTC();
      } else if (github != null && clock != github.clock()) {
        throw new IllegalArgumentException("the fake ECS must use its FakeGitHub's clock (runners live on it)");
      }
      return new FakeEcs(this);
    }
  }

  // ---- address and setup --------------------------------------------------------------------------

  /** The endpoint for both {@code EcsClient} and {@code Ec2Client}: {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The lifecycle clock. */
  public Clock clock() {
    return state.clock;
  }

  public String region() {
    return state.region;
  }

  public String accountId() {
    return state.accountId;
  }

  /**
   * Adds (or replaces) a cluster with the FARGATE and FARGATE_SPOT capacity providers. The cluster
   * {@code default} exists from the start. Returns its ARN. Idempotent.
   */
  public String addCluster(String name) {
    return addCluster(name, List.of("FARGATE", "FARGATE_SPOT"));
  }

  /** Adds (or replaces) a cluster with these capacity providers; returns its ARN. Idempotent. */
  public String addCluster(String name, List<String> capacityProviders) {
    state.addCluster(Objects.requireNonNull(name, "name"), List.copyOf(capacityProviders));
    return state.clusterArn(name);
  }

  /**
   * Registers a new revision of a task definition family (revisions count from 1); returns its ARN
   * {@code arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REV}.
   */
  public String registerTaskDefinition(TaskDefinitionSpec spec) {
    return state.definitions.register(Objects.requireNonNull(spec, "spec"), state.clock.instant()).arn();
  }

  /** Adds a subnet (an {@code IllegalArgumentException} if the id exists). Its CIDR is {@code 10.0.N.0/24}. */
  public void addSubnet(String subnetId, String vpcId, String availabilityZone, Map<String, String> tags) {
    state.network.addSubnet(Objects.requireNonNull(subnetId, "subnetId"), Objects.requireNonNull(vpcId, "vpcId"),
        Objects.requireNonNull(availabilityZone, "availabilityZone"), tags);
  }

  /** Adds a security group (an {@code IllegalArgumentException} if the id exists). */
  public void addSecurityGroup(String groupId, String groupName, String vpcId, Map<String, String> tags) {
    state.network.addSecurityGroup(Objects.requireNonNull(groupId, "groupId"),
        Objects.requireNonNull(groupName, "groupName"), Objects.requireNonNull(vpcId, "vpcId"), tags);
  }

  // ---- tasks --------------------------------------------------------------------------------------

  /** Every task still visible (not {@link #forget forgotten}), observed now, in creation order. */
  public List<FakeTask> tasks() {
    Instant now = state.clock.instant();
    List<FakeTask> out = new ArrayList<>();
    for (TaskRecord task : state.allTasks()) {
      if (!task.forgotten()) {
        out.add(snapshot(task, now));
      }
    }
    return out;
  }

  /** One task by ARN, observed now. */
  public Optional<FakeTask> task(String taskArn) {
    return state.taskByArn(taskArn).filter(t -> !t.forgotten()).map(t -> snapshot(t, state.clock.instant()));
  }

  /**
   * Brings every task up to the clock, as if someone had described it: runners due to start start (and
   * connect once booted), tasks whose runner exited start stopping. Tasks otherwise only move when
   * observed. Idempotent; never blocks.
   */
  public void poll() {
    Instant now = state.clock.instant();
    for (TaskRecord task : state.allTasks()) {
      task.runner(now).ifPresent(SimulatedRunner::poll);
      task.observe(now);
    }
  }

  /** The runner process of a task once the task has reached RUNNING (empty before, or without a FakeGitHub). */
  public Optional<SimulatedRunner> runner(String taskArn) {
    return state.taskByArn(taskArn).flatMap(t -> t.runner(state.clock.instant()));
  }

  /**
   * Drops a task as ECS does about an hour after it stopped: DescribeTasks then reports it MISSING and
   * ListTasks leaves it out. Idempotent; unknown ARNs are ignored.
   */
  public void forget(String taskArn) {
    state.taskByArn(taskArn).ifPresent(TaskRecord::forget);
  }

  private static FakeTask snapshot(TaskRecord task, Instant now) {
    TaskRecord.View view = task.observe(now);
    TaskRecord.Params p = task.params();
    return new FakeTask(task.arn(), p.cluster(), view.lastStatus(), view.desiredStatus(), p.tags(),
        Optional.ofNullable(p.startedBy()), Optional.ofNullable(p.launchType()),
        Optional.ofNullable(p.capacityProviderName()), p.overrideEnvironment().getOrDefault(p.runnerContainer(), Map.of()),
        Optional.ofNullable(p.clientToken()), Optional.ofNullable(view.stopCode()),
        Optional.ofNullable(view.stoppedReason()), view.runnerExitCode(), p.subnets(), p.securityGroups(),
        Optional.ofNullable(p.assignPublicIp()));
  }

  // ---- faults and inspection ----------------------------------------------------------------------

  /** The fault plan. */
  public EcsFaults faults() {
    return faults;
  }

  /** Requests received for an operation ({@code "RunTask"}, {@code "DescribeSubnets"}, ...), faulted and rejected ones included. */
  public int callCount(String operation) {
    return log.count(operation);
  }

  /** Every request answered, in order, with its SDK attempt header, status and error code. */
  public List<EcsCall> calls() {
    return log.calls();
  }

  /** The {@code amz-sdk-request} headers of an operation's requests, e.g. {@code ["attempt=1; max=3", "attempt=2; max=3"]}. */
  public List<String> sdkAttempts(String operation) {
    return log.calls().stream().filter(c -> c.operation().equals(operation)).map(EcsCall::sdkRequest).toList();
  }

  /** The raw bodies received for an operation, in order (they may hold secrets: do not log them). */
  public List<String> requestBodies(String operation) {
    return log.bodies(operation);
  }

  /**
   * The requests the fake rejected as the service would (validation, unknown resources, authentication),
   * as {@code "Operation: ErrorCode: message"}. Injected faults are not listed.
   */
  public List<String> rejectedRequests() {
    return log.rejections();
  }

  /** Responses the fake sent that break the ECS model, and its internal failures; they fail {@link #close()}. */
  public List<String> contractViolations() {
    return log.problems();
  }

  /**
   * Stops the server (blocks until in-flight exchanges end).
   *
   * @throws AssertionError listing the fake's contract violations and internal failures, if any
   */
  @Override
  public void close() {
    server.close();
    log.assertNoProblems("ECS");
  }
}
