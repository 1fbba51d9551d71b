package io.oneshot.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts, watches and stops runner containers on one cloud. Small on purpose: waiting, retrying,
 * deadlines and GitHub calls belong to core. Implementations are thread-safe: core launches and
 * describes in parallel.
 */
public interface RunnerLauncher extends AutoCloseable {

  /**
   * Starts one container and returns once the cloud has accepted it (it does not wait for RUNNING).
   * Blocks for one API round trip. Idempotent per {@link LaunchSpec#idempotencyKey()}: the same key
   * returns the same container.
   *
   * @throws LaunchFailedException when the cloud refused to start it, with the failure kind
   */
  LaunchedRunner launch(LaunchSpec spec);

  /** One look at the container, no waiting. Blocks for one API round trip; idempotent. */
  ContainerStatus describe(LaunchedRunner runner);

  /**
   * Stops the container and frees what it holds. Blocks for one API round trip; safe to repeat and
   * safe on a container that is already gone.
   */
  void terminate(LaunchedRunner runner, String reason);

  /**
   * Every container this launcher started for that owner, running or stopped (as far as the cloud
   * still lists them), for the sweep; never a container without that owner tag. Blocks; idempotent.
   */
  List<LaunchedRunner> listOwned(String owner);

  /**
   * One look at each of these containers, in the same order: what a poll round of the fleet asks.
   * Backends override it to use the cloud's batch or list call (ECS DescribeTasks takes 100 tasks), so
   * a round costs one call per 100 containers instead of one per container; this default describes
   * them one by one. Blocks; idempotent. A container the cloud no longer knows is
   * {@link ContainerState#GONE}.
   */
  default List<ContainerStatus> describeAll(List<LaunchedRunner> runners) {
    return runners.stream().map(this::describe).toList();
  }

  /**
   * Every container {@link #listOwned} finds for that owner, each with the status {@link #describeAll} would
   * give it, in the cloud's list order: what one look at an owner's containers (the sweep, the autoscaler's
   * observation) asks. Backends whose list call already carries the status (ECS reads each task with
   * DescribeTasks to read its owner tag; Cloud Run's ListExecutions returns whole executions) override it to
   * answer from that one pass; this default lists, then describes the listed containers in one
   * {@code describeAll}, and makes no describe call when the list is empty. Blocks; idempotent. Never holds a
   * container without that owner tag; the answer is a new map the caller may keep, iterating in list order.
   */
  default Map<LaunchedRunner, ContainerStatus> listOwnedWithStatus(String owner) {
    List<LaunchedRunner> containers = listOwned(owner);
    Map<LaunchedRunner, ContainerStatus> statuses = new LinkedHashMap<>();
    if (containers.isEmpty()) {
      return statuses;
    }
    List<ContainerStatus> described = describeAll(containers);
    if (described.size() != containers.size()) {
      throw new IllegalStateException("describeAll answered " + described.size() + " statuses for "
          + containers.size() + " containers; a launcher must answer one per container, in order");
    }
    for (int i = 0; i < containers.size(); i++) {
      statuses.put(containers.get(i), described.get(i));
    }
    return statuses;
  }

  /**
   * Where this launcher's containers live, as part of the owner identity: the backend id and the
   * backend's own scope, for example {@code ecs/us-east-1/runners} (region, cluster),
   * {@code cloudrun/my-project/europe-west1/gh-runner} (project, region, job) or
   * {@code aci/<subscription>/<resource group>}. Two launchers that can list each other's containers
   * must answer the same; two that cannot must answer differently, so a sweep of one never judges the
   * other's runners. The default is the launcher's class name; backends override it. Does not block;
   * stable for the launcher's life.
   */
  default String scopeKey() {
    return getClass().getName();
  }

  /**
   * Whether a finished container keeps holding resources (a name, a quota, a bill) until
   * {@link #terminate} deletes it, as ACI container groups do; the sweep then terminates the finished
   * containers of its owner. Default false: the cloud releases or expires finished containers itself.
   * Does not block.
   */
  default boolean keepsFinishedContainers() {
    return false;
  }

  /** What this backend can do. Does not block. */
  Capabilities capabilities();

  /** Releases the launcher's clients. Idempotent. */
  @Override
  default void close() {}
}
