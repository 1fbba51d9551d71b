package io.oneshot.scaleset;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A runner registered in a scale set, as the Actions service lists it: registered (offline) from the
 * moment its JIT config is generated, online once the runner application connected with it, busy while
 * it runs a job. An immutable snapshot, read by {@link ScaleSetClient#getRunner},
 * {@link ScaleSetClient#getRunnerByName} and {@link ScaleSetClient#listRunners}; holds no secret.
 *
 * @param id the service's runner (agent) id, the same as {@link ScaleSetJitConfig#runnerId()}
 * @param name the runner name, unique in the scope
 * @param scaleSetId the scale set it belongs to ({@code runnerScaleSetId}; 0 for a runner outside any)
 * @param online whether its {@code status} is {@code "online"}
 * @param busy whether it is running a job
 * @param createdOn when it was registered, when the service said so in a readable form
 */
public record ScaleSetRunner(long id, String name, long scaleSetId, boolean online, boolean busy,
    Optional<Instant> createdOn) {
  public ScaleSetRunner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdOn, "createdOn");
  }
}
