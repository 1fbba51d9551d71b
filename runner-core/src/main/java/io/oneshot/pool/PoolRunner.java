package io.oneshot.pool;

import io.oneshot.scaleset.ScaleSetRunner;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchedRunner;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One runner of a pool as observed: its container as the cloud lists it (with one look at its status)
 * and its registration as the scale set lists it, either of which may be missing, and the state judged
 * from both. Immutable.
 *
 * @param name the runner's name (from the registration, else the container's tag)
 * @param githubRunnerId the runner's id in the scale set when known
 * @param container the container, when the cloud lists one
 * @param status the container's status, when there is a container
 * @param registration the registration, when the scale set lists one
 * @param state the judged state
 * @param since when it began: the container's launch, else the registration's creation, else when first seen
 */
public record PoolRunner(String name, OptionalLong githubRunnerId, Optional<LaunchedRunner> container,
    Optional<ContainerStatus> status, Optional<ScaleSetRunner> registration, RunnerState state, Instant since) {

  public PoolRunner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
  }

  @Override
  public String toString() {
    return "PoolRunner[" + name + ", " + state + container.map(c -> ", " + c.resourceId()).orElse("")
        + (githubRunnerId.isPresent() ? ", id " + githubRunnerId.getAsLong() : "") + "]";
  }
}
