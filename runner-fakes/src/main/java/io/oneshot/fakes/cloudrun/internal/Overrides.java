package io.oneshot.fakes.cloudrun.internal;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.protobuf.Duration;
import io.grpc.Status;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RunJob's {@code overrides} checked as Cloud Run checks them and applied to the job's task template:
 * {@code task_count} replaces the job's (0 keeps it, negative is refused), {@code timeout} replaces the
 * task timeout (positive, at most 168 h), each container override names a container of the job (empty only
 * when the job has one), its {@code env} is merged into the container's (same name replaced), its
 * {@code args} replace the container's ({@code clear_args} empties them). Env names follow the Kubernetes
 * rule Cloud Run inherits, may not be Cloud Run's reserved job variables, values are at most 32,768 bytes
 * and a container has at most 1,000 variables. Stateless.
 */
public final class Overrides {
  /** The variables Cloud Run sets in a job's containers (container runtime contract). */
  static final Set<String> RESERVED = Set.of("CLOUD_RUN_JOB", "CLOUD_RUN_EXECUTION", "CLOUD_RUN_TASK_INDEX",
      "CLOUD_RUN_TASK_ATTEMPT", "CLOUD_RUN_TASK_COUNT", "PORT");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final long MAX_TIMEOUT_SECONDS = 168L * 3600;
  private static final int MAX_ENV = 1000;
  private static final int MAX_VALUE_BYTES = 32768;

  /**
   * The execution's task template and what the overrides changed.
   *
   * @param runnerContainer the index of the container the simulated runner runs in
   */
  public record Applied(TaskTemplate template, int taskCount, java.time.Duration timeout, List<String> overrideEnvNames,
      int runnerContainer) {}

  private Overrides() {}

  /** The base template of a job, without overrides. */
  public static TaskTemplate template(CloudRunJobSpec job) {
    TaskTemplate.Builder template = TaskTemplate.newBuilder().setMaxRetries(job.maxRetries())
        .setTimeout(Duration.newBuilder().setSeconds(job.timeout().getSeconds()))
        .setServiceAccount("runner@oneshot-fake.iam.gserviceaccount.com");
    for (CloudRunJobSpec.ContainerSpec spec : job.containers()) {
      Container.Builder container = Container.newBuilder().setName(spec.name()).setImage(spec.image());
      spec.env().forEach((name, value) -> container.addEnv(EnvVar.newBuilder().setName(name).setValue(value)));
      template.addContainers(container);
    }
    return template.build();
  }

  /** Checks and applies the overrides; throws {@link RpcFailure} INVALID_ARGUMENT for what Cloud Run refuses. */
  public static Applied apply(CloudRunJobSpec job, RunJobRequest.Overrides overrides) {
    if (overrides.getTaskCount() < 0) {
      throw RpcFailure.invalidArgument("Invalid value for field 'overrides.task_count': " + overrides.getTaskCount()
          + ". Must be greater than or equal to 0.");
    }
    int taskCount = overrides.getTaskCount() == 0 ? job.taskCount() : overrides.getTaskCount();
    java.time.Duration timeout = job.timeout();
    if (overrides.hasTimeout()) {
      Duration t = overrides.getTimeout();
      if (t.getSeconds() < 0 || t.getNanos() < 0 || (t.getSeconds() == 0 && t.getNanos() == 0)) {
        throw RpcFailure.invalidArgument("Invalid value for field 'overrides.timeout': must be positive.");
      }
      if (t.getSeconds() > MAX_TIMEOUT_SECONDS || (t.getSeconds() == MAX_TIMEOUT_SECONDS && t.getNanos() > 0)) {
        throw RpcFailure.invalidArgument("Invalid value for field 'overrides.timeout': " + t.getSeconds()
            + "s exceeds the maximum task timeout of 168h.");
      }
      timeout = java.time.Duration.ofSeconds(t.getSeconds(), t.getNanos());
    }
    TaskTemplate.Builder template = template(job).toBuilder()
        .setTimeout(Duration.newBuilder().setSeconds(timeout.getSeconds()).setNanos(timeout.getNano()));
    List<String> overrideEnvNames = new ArrayList<>();
    Set<Integer> overridden = new HashSet<>();
    for (int i = 0; i < overrides.getContainerOverridesCount(); i++) {
      RunJobRequest.Overrides.ContainerOverride override = overrides.getContainerOverrides(i);
      String field = "overrides.container_overrides[" + i + "]";
      int index = containerIndex(job, override.getName(), field);
      if (!overridden.add(index)) {
        throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".name': container '"
            + override.getName() + "' is overridden more than once.");
      }
      Container.Builder container = template.getContainersBuilder(index);
      Map<String, EnvVar> env = new LinkedHashMap<>();
      container.getEnvList().forEach(var -> env.put(var.getName(), var));
      for (int j = 0; j < override.getEnvCount(); j++) {
        EnvVar var = override.getEnv(j);
        checkEnv(var, field + ".env[" + j + "]");
        env.put(var.getName(), var);
        overrideEnvNames.add(var.getName());
      }
      if (env.size() > MAX_ENV) {
        throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".env': a container can have at most "
            + MAX_ENV + " environment variables, got " + env.size() + ".");
      }
      container.clearEnv().addAllEnv(env.values());
      if (override.getClearArgs()) {
        container.clearArgs();
      } else if (override.getArgsCount() > 0) {
        container.clearArgs().addAllArgs(override.getArgsList());
      }
    }
    TaskTemplate built = template.build();
    return new Applied(built, taskCount, timeout, overrideEnvNames, runnerContainer(built));
  }

  private static int containerIndex(CloudRunJobSpec job, String name, String field) {
    if (name.isEmpty()) {
      if (job.containers().size() == 1) {
        return 0;
      }
      throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".name': the job has "
          + job.containers().size() + " containers; name the container to override.");
    }
    for (int i = 0; i < job.containers().size(); i++) {
      if (job.containers().get(i).name().equals(name)) {
        return i;
      }
    }
    throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".name': container '" + name
        + "' is not a container of job '" + job.name() + "'.");
  }

  private static void checkEnv(EnvVar var, String field) {
    String name = var.getName();
    if (name.isEmpty()) {
      throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".name': must not be empty.");
    }
    if (!ENV_NAME.matcher(name).matches()) {
      throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".name': '" + name + "'. A valid"
          + " environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must"
          + " not start with a digit.");
    }
    if (RESERVED.contains(name)) {
      throw RpcFailure.invalidArgument("The following reserved env names were provided: " + name
          + ". These values are automatically set by the system.");
    }
    if (var.hasValueSource()) {
      throw new RpcFailure(Status.Code.UNIMPLEMENTED, "The fake Cloud Run does not model Secret Manager: field '"
          + field + ".value_source' is not supported here.");
    }
    if (var.getValue().getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      throw RpcFailure.invalidArgument("Invalid value for field '" + field + ".value': longer than "
          + MAX_VALUE_BYTES + " bytes.");
    }
  }

  /** The container holding a JIT config or registration token, else the first. */
  private static int runnerContainer(TaskTemplate template) {
    for (int i = 0; i < template.getContainersCount(); i++) {
      for (EnvVar var : template.getContainers(i).getEnvList()) {
        if (var.getName().equals("ACTIONS_RUNNER_INPUT_JITCONFIG") || var.getName().equals("RUNNER_TOKEN")) {
          return i;
        }
      }
    }
    return 0;
  }
}
