package io.oneshot.fakes.cloudrun;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one execution in a {@link FakeCloudRun}, as of the moment it was taken: its state, what
 * RunJob asked for (the runner container's environment after the overrides, task count, timeout, args)
 * and how it ended. An immutable value; {@link #toString()} leaves out environment values (they hold
 * secrets such as JIT configs).
 *
 * @param name the full execution name
 * @param job the job id
 * @param state {@code PENDING}, {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code CANCELLING} or
 *     {@code CANCELLED}
 * @param environment the runner container's environment: the job's, merged with the override env
 * @param overrideEnvNames the names the RunJob override set, in order
 * @param exitCode the task's exit code once it ran and ended
 * @param failureReason the Completed condition's reason and message for a failed execution
 */
public record FakeExecution(String name, String job, String state, Map<String, String> environment,
    List<String> overrideEnvNames, List<String> args, int taskCount, Duration timeout, Optional<Integer> exitCode,
    Optional<String> failureReason) {

  public FakeExecution {
    environment = Map.copyOf(environment);
    overrideEnvNames = List.copyOf(overrideEnvNames);
    args = List.copyOf(args);
  }

  /** The execution id: the last segment of the name. */
  public String id() {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /** Whether the execution has ended (succeeded, failed or cancelled). */
  public boolean finished() {
    return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
  }

  @Override
  public String toString() {
    return "FakeExecution[" + name + ", " + state + ", environment=" + environment.keySet() + ", taskCount="
        + taskCount + ", timeout=" + timeout + ", exitCode=" + exitCode.map(String::valueOf).orElse("")
        + ", failure=" + failureReason.orElse("") + "]";
  }
}
