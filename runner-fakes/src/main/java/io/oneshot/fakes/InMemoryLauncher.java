package io.oneshot.fakes;

import io.oneshot.spi.Capabilities;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.RunnerBehaviour;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RunnerLauncher} whose containers are {@link SimulatedRunner}s against a {@link FakeGitHub}:
 * pending for a while on the clock, then running the runner from the container environment, stopped
 * when the runner exits or the container is terminated. Faults come from {@link #faults()}. Holds
 * everything it launched for assertions. Lazy on the clock; thread-safe.
 */
public final class InMemoryLauncher implements RunnerLauncher {
  /** The backend id on its containers. */
  public static final String BACKEND_ID = "in-memory";

  private final FakeGitHub github;
  private final Clock clock;
  private final Duration pendingFor;
  private final Duration bootDelay;
  private final int capacityOptions;
  private volatile String scopeKey = BACKEND_ID + "/local";
  private final InMemoryFaults faults = new InMemoryFaults();
  private final Map<String, Entry> byId = new LinkedHashMap<>();
  private final Map<String, String> idByKey = new LinkedHashMap<>();
  private final List<LaunchSpec> launchRequests = new ArrayList<>();
  private int terminateCalls;
  private int describeCalls;
  private int describeAllCalls;
  private final java.util.Deque<RuntimeException> listOwnedFailures = new java.util.ArrayDeque<>();
  private int describeAllFailures;
  private int launchAnswersToLose;

  /** One launched container and what happened to it. Guarded by the launcher's lock. */
  private static final class Entry {
    final LaunchedRunner launched;
    final SimulatedContainer container;
    final InMemoryFaults.Fate fate;
    boolean forgotten;
    String terminatedReason;

    Entry(LaunchedRunner launched, SimulatedContainer container, InMemoryFaults.Fate fate) {
      this.launched = launched;
      this.container = container;
      this.fate = fate;
    }
  }

  /**
   * @param github the fake the simulated runners connect to (its clock is the launcher's)
   * @param pendingFor how long a container is pending before it runs
   * @param bootDelay how long a runner takes to come online once its container runs
   * @param capacityOptions how many capacity options it pretends to have (like FARGATE_SPOT, FARGATE)
   */
  public InMemoryLauncher(FakeGitHub github, Duration pendingFor, Duration bootDelay, int capacityOptions) {
    this.github = Objects.requireNonNull(github, "github");
    this.clock = github.clock();
    this.pendingFor = pendingFor;
    this.bootDelay = bootDelay;
    this.capacityOptions = capacityOptions;
  }

  /** Pending 2 s, online 3 s later, two capacity options. */
  public InMemoryLauncher(FakeGitHub github) {
    this(github, Duration.ofSeconds(2), Duration.ofSeconds(3), 2);
  }

  /**
   * Places this launcher in a scope of its own (as another ECS cluster, Cloud Run job or ACI resource group
   * would be), so fleets over it get another owner; default {@code in-memory/local}. Returns this launcher.
   */
  public InMemoryLauncher inScope(String key) {
    this.scopeKey = Objects.requireNonNull(key, "key");
    return this;
  }

  @Override
  public String scopeKey() {
    return scopeKey;
  }

  /** The faults planned for the next launches. */
  public InMemoryFaults faults() {
    return faults;
  }

  @Override
  public synchronized LaunchedRunner launch(LaunchSpec spec) {
    launchRequests.add(spec);
    String existing = idByKey.get(spec.idempotencyKey());
    if (existing != null) {
      return byId.get(existing).launched;
    }
    InMemoryFaults.Fate fate = faults.next(spec.capacityOption());
    if (fate == InMemoryFaults.Fate.REFUSED_CAPACITY) {
      throw new LaunchFailedException(FailureKind.CAPACITY, "RESOURCE:CAPACITY",
          "no capacity for capacity option " + spec.capacityOption() + " (simulated)");
    }
    String resourceId = "mem-" + (byId.size() + 1) + "-" + spec.runnerName();
    LaunchedRunner launched = new LaunchedRunner(BACKEND_ID, resourceId, "local",
        Optional.of("10.0.0." + (byId.size() % 250 + 2)), Optional.empty(), clock.instant(), spec.tags());
    RunnerBehaviour behaviour = switch (fate) {
      case CRASH_ON_BOOT -> RunnerBehaviour.crashOnBoot(faults.crashExitCode());
      case NEVER_ONLINE -> RunnerBehaviour.NEVER_ONLINE;
      default -> RunnerBehaviour.NORMAL;
    };
    SimulatedContainer container = new SimulatedContainer(github, spec.containerEnvironment(),
        clock.instant().plus(pendingFor), bootDelay, behaviour);
    byId.put(resourceId, new Entry(launched, container, fate));
    idByKey.put(spec.idempotencyKey(), resourceId);
    if (launchAnswersToLose > 0) {
      launchAnswersToLose--;
      throw new LaunchFailedException(FailureKind.THROTTLED, "UNAVAILABLE",
          "the launch took effect but its answer was lost (simulated)");
    }
    return launched;
  }

  @Override
  public synchronized ContainerStatus describe(LaunchedRunner runner) {
    describeCalls++;
    return look(runner);
  }

  /**
   * One batched look, counted as one call however many containers it covers (as ECS DescribeTasks
   * answers 100 per call); fails with a retryable {@link OneshotException} while
   * {@link #failNextDescribeAll} has failures left.
   */
  @Override
  public synchronized List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    describeAllCalls++;
    if (describeAllFailures > 0) {
      describeAllFailures--;
      throw new OneshotException("describing " + runners.size() + " containers failed: throttled (simulated)", true);
    }
    return runners.stream().map(this::look).toList();
  }

  private ContainerStatus look(LaunchedRunner runner) {
    Entry entry = byId.get(runner.resourceId());
    if (entry == null || entry.forgotten) {
      return ContainerStatus.gone("unknown container " + runner.resourceId());
    }
    if (entry.fate == InMemoryFaults.Fate.IMAGE_PULL && !clock.instant().isBefore(runnerStart(entry))) {
      return ContainerStatus.failed("STOPPED", FailureKind.IMAGE_PULL,
          "CannotPullContainerError: pull access denied for oneshot/runner (simulated)", Optional.empty());
    }
    SimulatedContainer container = entry.container;
    if (entry.terminatedReason != null) {
      container.stop();
      return new ContainerStatus(ContainerState.STOPPED, "STOPPED", container.exitCode(),
          "terminated: " + entry.terminatedReason, Optional.empty());
    }
    switch (container.phase()) {
      case PENDING:
        return ContainerStatus.of(ContainerState.PENDING, "PENDING");
      case RUNNING:
        return ContainerStatus.of(ContainerState.RUNNING, "RUNNING");
      default:
        int code = container.exitCode().orElse(-1);
        return code == 0
            ? new ContainerStatus(ContainerState.STOPPED, "STOPPED", Optional.of(0), "runner exited", Optional.empty())
            : ContainerStatus.failed("STOPPED", FailureKind.EXITED, "runner exited: " + container.exitReason(),
                Optional.of(code));
    }
  }

  @Override
  public synchronized void terminate(LaunchedRunner runner, String reason) {
    terminateCalls++;
    Entry entry = byId.get(runner.resourceId());
    if (entry == null || entry.forgotten || entry.terminatedReason != null) {
      return;
    }
    entry.terminatedReason = reason;
    entry.container.stop();
  }

  @Override
  public synchronized List<LaunchedRunner> listOwned(String owner) {
    RuntimeException failure = listOwnedFailures.poll();
    if (failure != null) {
      throw failure;
    }
    return byId.values().stream()
        .filter(e -> !e.forgotten)
        .map(e -> e.launched)
        .filter(l -> l.tag(OwnershipTags.OWNER).filter(owner::equals).isPresent())
        .toList();
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(capacityOptions, 0, false, true);
  }

  /** The cloud forgets the container (as ECS does with stopped tasks after a while). */
  public synchronized void forget(String resourceId) {
    Entry entry = byId.get(resourceId);
    if (entry != null) {
      entry.forgotten = true;
    }
  }

  /** The simulated runner of a container, once the container has started. */
  public synchronized Optional<SimulatedRunner> runner(String resourceId) {
    Entry entry = byId.get(resourceId);
    return entry == null ? Optional.empty() : entry.container.runner();
  }

  /** Every launch request received, duplicates and refused ones included, in order. */
  public synchronized List<LaunchSpec> launchRequests() {
    return List.copyOf(launchRequests);
  }

  /** Every container launched and not forgotten, in launch order. */
  public synchronized List<LaunchedRunner> containers() {
    return byId.values().stream().filter(e -> !e.forgotten).map(e -> e.launched).toList();
  }

  /** The containers that are neither stopped nor gone. */
  public synchronized List<LaunchedRunner> liveContainers() {
    return containers().stream().filter(c -> !look(c).state().isFinal()).toList();
  }

  /** How many times {@link #describe} was called (by callers: {@link #liveContainers} does not count). */
  public synchronized int describeCalls() {
    return describeCalls;
  }

  /** How many times {@link #describeAll} was called, failed calls included. */
  public synchronized int describeAllCalls() {
    return describeAllCalls;
  }

  /** The next {@code times} {@link #listOwned} calls fail with a retryable error, as a throttled cloud's would. */
  public synchronized void failNextListOwned(int times) {
    listOwnedFailures.clear();
    for (int i = 0; i < times; i++) {
      listOwnedFailures.add(new OneshotException("listing the containers failed: throttled (simulated)", true));
    }
  }

  /** The next {@link #listOwned} call (after those already planned) throws {@code failure}, as a bug would. */
  public synchronized void failNextListOwnedWith(RuntimeException failure) {
    listOwnedFailures.add(failure);
  }

  /**
   * The next {@code times} launches take effect but their answer is lost: the container is started and the call
   * fails as a {@link FailureKind#THROTTLED} {@link LaunchFailedException}, as Cloud Run's launcher reports a
   * RunJob that answered UNAVAILABLE. Launching again with the same idempotency key returns that container.
   */
  public synchronized void loseNextLaunchAnswers(int times) {
    launchAnswersToLose = times;
  }

  /** The next {@code times} calls of {@link #describeAll} fail with a retryable error, as a throttled cloud. */
  public synchronized void failNextDescribeAll(int times) {
    describeAllFailures = times;
  }

  /** How many times {@link #terminate} was called. */
  public synchronized int terminateCalls() {
    return terminateCalls;
  }

  private java.time.Instant runnerStart(Entry entry) {
    return entry.launched.launchedAt().plus(pendingFor);
  }
}
