package io.oneshot.fakes.cloudrun.internal;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.Job;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.oneshot.fakes.cloudrun.CloudRunCall;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.CloudRunTimings;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.RunnerBehaviour;
import io.oneshot.fakes.internal.CallLog;
import io.oneshot.fakes.internal.SimulatedContainer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Everything a fake Cloud Run holds: its jobs, their executions and the long-running operations that
 * RunJob, CancelExecution and DeleteExecution started. Ids come from the seed. Thread-safe (synchronised).
 */
public final class CloudRunState {
  /** What an operation was started for. */
  public enum OperationKind { RUN, CANCEL, DELETE }

  /** A long-running operation on one execution. */
  public record OperationRecord(String name, OperationKind kind, String executionName) {}

  private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  public final String project;
  public final String region;
  public final Clock clock;
  public final FaultPlan faults;
  public final CallLog<CloudRunCall> log = new CallLog<>(CloudRunCall::method);
  private final FakeGitHub github;
  private final CloudRunTimings timings;
  private final Random ids;
  private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
  private final Map<String, ExecutionRecord> executions = new LinkedHashMap<>();
  private final Map<String, OperationRecord> operations = new HashMap<>();

  /** A job and its counters. */
  public static final class JobRecord {
    final CloudRunJobSpec spec;
    final String name;
    final String uid;
    final Instant createdAt;
    int executionCount;
    String latestExecution;

    JobRecord(CloudRunJobSpec spec, String name, String uid, Instant createdAt) {
      this.spec = spec;
      this.name = name;
      this.uid = uid;
      this.createdAt = createdAt;
    }

    public CloudRunJobSpec spec() {
      return spec;
    }

    public String name() {
      return name;
    }
  }

  public CloudRunState(String project, String region, Clock clock, FakeGitHub github, CloudRunTimings timings,
      long seed) {
    this.project = project;
    this.region = region;
    this.clock = clock;
    this.github = github;
    this.timings = timings;
    this.ids = new Random(seed);
    this.faults = new FaultPlan(seed);
  }

  public String locationName() {
    return "projects/" + project + "/locations/" + region;
  }

  public synchronized String addJob(CloudRunJobSpec spec) {
    String name = locationName() + "/jobs/" + spec.name();
    jobs.put(spec.name(), new JobRecord(spec, name, uuid(), clock.instant()));
    return name;
  }

  /** The job the name points to, or NOT_FOUND as Cloud Run answers it (also for another project or region). */
  public synchronized JobRecord job(String field, String jobName) {
    ResourceNames.Parsed parsed = ResourceNames.job(field, jobName);
    JobRecord job = parsed.project().equals(project) && parsed.location().equals(region) ? jobs.get(parsed.job()) : null;
    if (job == null) {
      throw RpcFailure.notFound("JOB", parsed.job(), parsed.location(), parsed.project());
    }
    return job;
  }

  /** The visible execution the name points to, or NOT_FOUND. */
  public synchronized ExecutionRecord execution(String field, String executionName) {
    ResourceNames.Parsed parsed = ResourceNames.execution(field, executionName);
    ExecutionRecord found = executions.get(executionName);
    if (found == null || found.deleted()) {
      throw RpcFailure.notFound("EXECUTION", parsed.execution().orElseThrow(), parsed.location(), parsed.project());
    }
    return found;
  }

  /** Any execution by name, deleted ones included (for the fake's inspection API). */
  public synchronized Optional<ExecutionRecord> executionByName(String name) {
    return Optional.ofNullable(executions.get(name));
  }

  public synchronized List<ExecutionRecord> allExecutions() {
    return new ArrayList<>(executions.values());
  }

  /** The executions of a job, newest first (ListExecutions' order), deleted ones only when asked. */
  public synchronized List<ExecutionRecord> executionsOf(JobRecord job, boolean showDeleted) {
    List<ExecutionRecord> out = new ArrayList<>();
    for (ExecutionRecord execution : executions.values()) {
      if (execution.jobName().equals(job.name) && (showDeleted || !execution.deleted())) {
        out.add(0, execution);
      }
    }
    return out;
  }

  /** RunJob after validation: a new execution and its operation. */
  public synchronized Operation run(JobRecord job, Overrides.Applied applied) {
    Instant now = clock.instant();
    String id;
    do {
      StringBuilder suffix = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        suffix.append(ID_CHARS.charAt(ids.nextInt(ID_CHARS.length())));
      }
      id = job.spec.name() + "-" + suffix;
    } while (executions.containsKey(job.name + "/executions/" + id));
    String name = job.name + "/executions/" + id;
    FaultPlan.ExecutionFate fate = faults.nextFate();
    SimulatedContainer container = null;
    boolean starts = !(fate instanceof FaultPlan.ImageMissing || fate instanceof FaultPlan.NoResources);
    if (github != null && starts) {
      RunnerBehaviour behaviour = fate instanceof FaultPlan.NeverOnline ? RunnerBehaviour.NEVER_ONLINE
          : fate instanceof FaultPlan.CrashOnBoot crash ? RunnerBehaviour.crashOnBoot(crash.exitCode())
          : RunnerBehaviour.NORMAL;
      Map<String, String> env = new LinkedHashMap<>();
      applied.template().getContainers(applied.runnerContainer()).getEnvList()
          .forEach(var -> env.put(var.getName(), var.getValue()));
      container = new SimulatedContainer(github, env, now.plus(timings.provisioning()), timings.bootDelay(), behaviour);
    }
    ExecutionRecord execution = new ExecutionRecord(executions.size() + 1L, name, uuid(), job.name, now, applied, timings, fate, container);
    executions.put(name, execution);
    job.executionCount++;
    job.latestExecution = name;
    return operation(newOperation(OperationKind.RUN, name), now);
  }

  public synchronized OperationRecord newOperation(OperationKind kind, String executionName) {
    OperationRecord op = new OperationRecord(locationName() + "/operations/" + uuid(), kind, executionName);
    operations.put(op.name(), op);
    return op;
  }

  public synchronized Optional<OperationRecord> operationRecord(String name) {
    return Optional.ofNullable(operations.get(name));
  }

  /** The operation as GetOperation answers it now: metadata the execution; done once its work is. */
  public synchronized Operation operation(OperationRecord op, Instant now) {
    ExecutionRecord execution = executions.get(op.executionName());
    Execution proto = execution.toProto(now);
    ExecutionRecord.State state = execution.observe(now).state();
    Operation.Builder out = Operation.newBuilder().setName(op.name()).setMetadata(Any.pack(proto));
    boolean done = switch (op.kind()) {
      case RUN -> state.finished();
      case CANCEL -> state == ExecutionRecord.State.CANCELLED || state.finished();
      case DELETE -> true;
    };
    if (!done) {
      return out.setDone(false).build();
    }
    out.setDone(true);
    if (op.kind() == OperationKind.RUN && state != ExecutionRecord.State.SUCCEEDED) {
      String message = proto.getConditionsList().stream().filter(c -> c.getType().equals("Completed"))
          .map(Condition::getMessage).findFirst().orElse("The execution failed.");
      return out.setError(com.google.rpc.Status.newBuilder().setCode(io.grpc.Status.Code.UNKNOWN.value())
          .setMessage(message)).build();
    }
    return out.setResponse(Any.pack(proto)).build();
  }

  /** The Job message as GetJob answers it. */
  public synchronized Job jobProto(JobRecord job) {
    Instant now = clock.instant();
    Job.Builder out = Job.newBuilder().setName(job.name).setUid(job.uid).setGeneration(1).setObservedGeneration(1)
        .setCreateTime(ExecutionRecord.ts(job.createdAt)).setUpdateTime(ExecutionRecord.ts(job.createdAt))
        .setCreator("platform-team@example.com").setLastModifier("platform-team@example.com")
        .setExecutionCount(job.executionCount).setEtag("\"" + job.uid.substring(0, 8) + "\"")
        .setTemplate(ExecutionTemplate.newBuilder().setTaskCount(job.spec.taskCount())
            .setTemplate(Overrides.template(job.spec)))
        .setTerminalCondition(Condition.newBuilder().setType("Ready").setState(Condition.State.CONDITION_SUCCEEDED)
            .setLastTransitionTime(ExecutionRecord.ts(job.createdAt)));
    if (job.latestExecution != null) {
      ExecutionRecord latest = executions.get(job.latestExecution);
      out.setLatestCreatedExecution(com.google.cloud.run.v2.ExecutionReference.newBuilder()
          .setName(latest.name()).setCreateTime(ExecutionRecord.ts(latest.createdAt()))
          .setCompletionTime(latest.observe(now).completionTime() == null ? com.google.protobuf.Timestamp.getDefaultInstance()
              : ExecutionRecord.ts(latest.observe(now).completionTime())));
    }
    return out.build();
  }

  private String uuid() {
    return new UUID(ids.nextLong() & 0xffffffffffff0fffL | 0x4000L, ids.nextLong() & 0x3fffffffffffffffL
        | 0x8000000000000000L).toString();
  }
}
