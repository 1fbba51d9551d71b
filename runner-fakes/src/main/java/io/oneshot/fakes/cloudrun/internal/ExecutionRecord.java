package io.oneshot.fakes.cloudrun.internal;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.oneshot.fakes.cloudrun.CloudRunTimings;
import io.oneshot.fakes.github.SimulatedRunner;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One execution of a job and the state of its (single simulated) task, computed lazily from the clock.
 * Pending for the provisioning time, then its container runs the simulated runner until the runner exits
 * (succeeded with exit 0, failed otherwise), the task timeout passes (failed) or CancelExecution asks
 * (cancelling, then cancelled). Start faults fail it as provisioning ends. Nothing happens until it is
 * observed; no timers. Thread-safe (synchronised).
 */
public final class ExecutionRecord {
  /** The execution's state as the fake reports it. */
  public enum State { PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLING, CANCELLED;

    public boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /** The execution at one instant. */
  public record View(State state, Instant startTime, Instant completionTime, Optional<Integer> exitCode,
      Condition.CommonReason reason, Condition.ExecutionReason executionReason, String message) {}

  private final long sequence;
  private final String name;
  private final String uid;
  private final String jobName;
  private final String jobId;
  private final Instant createdAt;
  private final Overrides.Applied applied;
  private final CloudRunTimings timings;
  private final FaultPlan.ExecutionFate fate;
  private final SimulatedContainer container;
  private final String image;
  private Instant cancelRequestedAt;
  private Instant deletedAt;
  private Instant timedOutAt;

  /** @param container the runner process; null without a FakeGitHub or when the execution cannot start */
  public ExecutionRecord(long sequence, String name, String uid, String jobName, Instant createdAt,
      Overrides.Applied applied, CloudRunTimings timings, FaultPlan.ExecutionFate fate, SimulatedContainer container) {
    this.sequence = sequence;
    this.name = name;
    this.uid = uid;
    this.jobName = jobName;
    this.jobId = jobName.substring(jobName.lastIndexOf('/') + 1);
    this.createdAt = createdAt;
    this.applied = applied;
    this.timings = timings;
    this.fate = fate;
    this.container = container;
    this.image = applied.template().getContainers(applied.runnerContainer()).getImage();
  }

  public String name() {
    return name;
  }

  /** The creation order across the fake, from 1. */
  public long sequence() {
    return sequence;
  }

  public String id() {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  public String jobName() {
    return jobName;
  }

  public String jobId() {
    return jobId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Overrides.Applied applied() {
    return applied;
  }

  /** The runner container's environment after the overrides (holds secrets: never log values). */
  public Map<String, String> runnerEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : applied.template().getContainers(applied.runnerContainer()).getEnvList()) {
      env.put(var.getName(), var.getValue());
    }
    return env;
  }

  /** When provisioning ends and the container starts (or the start fails). */
  public Instant startsAt() {
    return createdAt.plus(timings.provisioning());
  }

  public synchronized boolean deleted() {
    return deletedAt != null;
  }

  /** DeleteExecution: stops what runs and hides the execution. Idempotent. */
  public synchronized void delete(Instant now) {
    if (deletedAt == null) {
      if (!observe(now).state().finished() && container != null) {
        container.stop();
      }
      deletedAt = now;
    }
  }

  /**
   * CancelExecution: SIGTERM to the runner (or no start at all), cancelling then cancelled. Repeating it while
   * cancelling is accepted; a finished execution answers FAILED_PRECONDITION.
   */
  public synchronized void cancel(Instant now) {
    View view = observe(now);
    if (view.state() == State.CANCELLING) {
      return;
    }
    if (view.state().finished()) {
      throw new RpcFailure(Status.Code.FAILED_PRECONDITION, "Execution '" + id() + "' has already completed ("
          + view.state().name().toLowerCase(java.util.Locale.ROOT) + ") and cannot be cancelled.");
    }
    cancelRequestedAt = now;
    if (container != null) {
      container.stop();
    }
  }

  /** The runner process once the container has started it. */
  public synchronized Optional<SimulatedRunner> runner(Instant now) {
    observe(now);
    if (container == null || now.isBefore(startsAt())) {
      return Optional.empty();
    }
    return container.runner();
  }

  /** The execution as of {@code now}. */
  public synchronized View observe(Instant now) {
    Instant startsAt = startsAt();
    boolean startFailure = fate instanceof FaultPlan.ImageMissing || fate instanceof FaultPlan.NoResources;
    if (cancelRequestedAt != null && (!startFailure || cancelRequestedAt.isBefore(startsAt))) {
      Instant cancelledAt = cancelRequestedAt.plus(timings.cancelling());
      Instant started = cancelRequestedAt.isBefore(startsAt) || startFailure ? null : startsAt;
      Optional<Integer> exit = started == null || container == null ? Optional.empty() : container.exitCode();
      if (now.isBefore(cancelledAt)) {
        return new View(State.CANCELLING, started, null, Optional.empty(), Condition.CommonReason.COMMON_REASON_UNDEFINED,
            Condition.ExecutionReason.CANCELLING, "The execution is being cancelled.");
      }
      return new View(State.CANCELLED, started, cancelledAt, exit, Condition.CommonReason.COMMON_REASON_UNDEFINED,
          Condition.ExecutionReason.CANCELLED, "The execution was cancelled.");
    }
    if (now.isBefore(startsAt)) {
      return new View(State.PENDING, null, null, Optional.empty(), Condition.CommonReason.COMMON_REASON_UNDEFINED,
          Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED, "");
    }
    if (fate instanceof FaultPlan.ImageMissing) {
      return new View(State.FAILED, null, startsAt, Optional.empty(), Condition.CommonReason.CONTAINER_MISSING,
          Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED, "Image '" + image + "' not found.");
    }
    if (fate instanceof FaultPlan.NoResources) {
      return new View(State.FAILED, null, startsAt, Optional.empty(), Condition.CommonReason.COMMON_REASON_UNDEFINED,
          Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED, "Task " + taskId() + " failed to start: Quota exceeded"
          + " for total allowable CPU per project per region.");
    }
    Instant timeoutAt = startsAt.plus(applied.timeout());
    if (container == null) {
      if (!now.isBefore(timeoutAt)) {
        return timedOut(startsAt, timeoutAt, Optional.of(SimulatedRunner.SIGTERM_EXIT_CODE));
      }
      return running(startsAt);
    }
    if (timedOutAt == null && container.phase() != SimulatedContainer.Phase.EXITED && !now.isBefore(timeoutAt)) {
      timedOutAt = timeoutAt;
      container.stop();
    }
    if (timedOutAt != null) {
      return timedOut(startsAt, timedOutAt, container.exitCode());
    }
    if (container.phase() != SimulatedContainer.Phase.EXITED) {
      return running(startsAt);
    }
    int exit = container.exitCode().orElse(SimulatedRunner.SIGTERM_EXIT_CODE);
    Instant endedAt = container.exitedAt().filter(at -> !at.isBefore(startsAt)).orElse(now);
    if (exit == 0) {
      return new View(State.SUCCEEDED, startsAt, endedAt, Optional.of(0), Condition.CommonReason.COMMON_REASON_UNDEFINED,
          Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED, "Execution completed successfully.");
    }
    return new View(State.FAILED, startsAt, endedAt, Optional.of(exit), Condition.CommonReason.COMMON_REASON_UNDEFINED,
        Condition.ExecutionReason.NON_ZERO_EXIT_CODE, "Task " + taskId() + " failed with message: The container exited"
        + " with an error.");
  }

  private View running(Instant startsAt) {
    return new View(State.RUNNING, startsAt, null, Optional.empty(), Condition.CommonReason.COMMON_REASON_UNDEFINED,
        Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED, "");
  }

  private View timedOut(Instant startsAt, Instant at, Optional<Integer> exit) {
    return new View(State.FAILED, startsAt, at, exit, Condition.CommonReason.COMMON_REASON_UNDEFINED,
        Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED, "Task " + taskId() + " failed with message: The"
        + " configured timeout was reached.");
  }

  /** The id of the execution's first (and only simulated) task. */
  public String taskId() {
    return id() + "-task0";
  }

  /** The Execution message as GetExecution returns it now. */
  public synchronized Execution toProto(Instant now) {
    View view = observe(now);
    Execution.Builder out = Execution.newBuilder()
        .setName(name).setUid(uid).setGeneration(1).setObservedGeneration(1)
        .setCreateTime(ts(createdAt)).setUpdateTime(ts(lastTransition(view)))
        .setJob(jobId).setParallelism(0).setTaskCount(applied.taskCount())
        .setTemplate(applied.template())
        .setReconciling(!view.state().finished())
        .setLogUri("https://console.cloud.google.com/logs/viewer?resource=cloud_run_job%2Fjob_name%2F" + jobId)
        .setEtag("\"" + uid.substring(0, 8) + "-" + view.state().ordinal() + "\"");
    out.putLabels("run.googleapis.com/execution-environment", "gen2");
    if (view.startTime() != null) {
      out.setStartTime(ts(view.startTime()));
    }
    if (view.completionTime() != null) {
      out.setCompletionTime(ts(view.completionTime()));
    }
    if (deletedAt != null) {
      out.setDeleteTime(ts(deletedAt));
    }
    switch (view.state()) {
      case RUNNING -> out.setRunningCount(1);
      case SUCCEEDED -> out.setSucceededCount(1);
      case FAILED -> out.setFailedCount(1);
      case CANCELLED -> out.setCancelledCount(1);
      default -> { }
    }
    out.addAllConditions(conditions(view));
    return out.build();
  }

  /** The execution's first task as GetTask/ListTasks return it now. */
  public synchronized Task taskProto(Instant now) {
    View view = observe(now);
    Task.Builder task = Task.newBuilder().setName(name + "/tasks/" + taskId()).setUid(uid + "-0")
        .setGeneration(1).setObservedGeneration(1).setJob(jobId).setExecution(id()).setIndex(0).setRetried(0)
        .setCreateTime(ts(createdAt)).addAllContainers(applied.template().getContainersList())
        .setMaxRetries(applied.template().getMaxRetries()).setTimeout(applied.template().getTimeout())
        .setReconciling(!view.state().finished());
    if (view.startTime() != null) {
      task.setStartTime(ts(view.startTime()));
    }
    if (view.completionTime() != null) {
      task.setCompletionTime(ts(view.completionTime()));
    }
    if (view.state().finished() && view.exitCode().isPresent()) {
      task.setLastAttemptResult(TaskAttemptResult.newBuilder().setExitCode(view.exitCode().get())
          .setStatus(com.google.rpc.Status.newBuilder().setCode(view.exitCode().get() == 0 ? 0 : 2)
              .setMessage(view.exitCode().get() == 0 ? "" : "The container exited with an error.")));
    }
    Condition.Builder completed = Condition.newBuilder().setType("Completed")
        .setLastTransitionTime(ts(lastTransition(view)));
    completed.setState(conditionState(view.state()));
    task.addConditions(completed);
    return task.build();
  }

  private Instant lastTransition(View view) {
    if (view.completionTime() != null) {
      return view.completionTime();
    }
    if (view.state() == State.CANCELLING) {
      return cancelRequestedAt;
    }
    return view.startTime() != null ? view.startTime() : createdAt;
  }

  private List<Condition> conditions(View view) {
    List<Condition> out = new ArrayList<>();
    Instant at = lastTransition(view);
    boolean startFailed = view.state() == State.FAILED && view.startTime() == null;
    Condition.State resources = view.startTime() != null || view.state() == State.SUCCEEDED ? Condition.State.CONDITION_SUCCEEDED
        : startFailed ? Condition.State.CONDITION_FAILED : Condition.State.CONDITION_PENDING;
    Condition.Builder completed = Condition.newBuilder().setType("Completed").setState(conditionState(view.state()))
        .setLastTransitionTime(ts(at)).setMessage(view.message());
    if (view.reason() != Condition.CommonReason.COMMON_REASON_UNDEFINED) {
      completed.setReason(view.reason());
    } else if (view.executionReason() != Condition.ExecutionReason.EXECUTION_REASON_UNDEFINED) {
      completed.setExecutionReason(view.executionReason());
    }
    if (view.state() == State.FAILED) {
      completed.setSeverity(Condition.Severity.ERROR);
    }
    out.add(completed.build());
    Condition.Builder resourcesAvailable = Condition.newBuilder().setType("ResourcesAvailable").setState(resources)
        .setLastTransitionTime(ts(view.startTime() != null ? view.startTime() : at));
    if (startFailed) {
      resourcesAvailable.setMessage(view.message()).setSeverity(Condition.Severity.ERROR);
      if (view.reason() != Condition.CommonReason.COMMON_REASON_UNDEFINED) {
        resourcesAvailable.setReason(view.reason());
      }
    }
    out.add(resourcesAvailable.build());
    out.add(Condition.newBuilder().setType("Started")
        .setState(view.startTime() != null ? Condition.State.CONDITION_SUCCEEDED
            : startFailed || view.state().finished() ? Condition.State.CONDITION_FAILED : Condition.State.CONDITION_PENDING)
        .setLastTransitionTime(ts(view.startTime() != null ? view.startTime() : at)).build());
    return out;
  }

  private static Condition.State conditionState(State state) {
    return switch (state) {
      case PENDING -> Condition.State.CONDITION_PENDING;
      case RUNNING, CANCELLING -> Condition.State.CONDITION_RECONCILING;
      case SUCCEEDED -> Condition.State.CONDITION_SUCCEEDED;
      case FAILED, CANCELLED -> Condition.State.CONDITION_FAILED;
    };
  }

  static Timestamp ts(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  /** How long the execution may run: the task timeout after the overrides. */
  public Duration timeout() {
    return applied.timeout();
  }
}
