package io.oneshot.pool;

import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetRunner;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes a {@link PoolSnapshot}: the containers the cloud lists under the pool's owner tag with their states
 * ({@link RunnerLauncher#listOwnedWithStatus}: one pass on a backend whose list carries the states, a list and
 * one batched describe otherwise) joined with the registrations the scale set lists (one call), matched by the
 * GitHub runner id each container is tagged with. Nothing is counted from memory: a registration the
 * cloud does not list yet is a runner whose container the list has not caught up with (booting) until
 * the grace period has passed, after which it is an orphan. Blocks for the cloud's look plus one scale-set
 * call (more for large pools); thread-safe; each call observes afresh.
 */
final class PoolObserver {
  private final RunnerLauncher launcher;
  private final ScaleSetClient client;
  private final String owner;
  private final Clock clock;
  private final Duration registrationGrace;
  /** When a registration without a creation time was first seen; only used to age such registrations. */
  private final Map<Long, Instant> firstSeen = new ConcurrentHashMap<>();

  PoolObserver(RunnerLauncher launcher, ScaleSetClient client, String owner, Clock clock, Duration registrationGrace) {
    this.launcher = launcher;
    this.client = client;
    this.owner = owner;
    this.clock = clock;
    this.registrationGrace = registrationGrace;
  }

  PoolSnapshot observe(long scaleSetId) {
    // One look: the backend lists and reads the states in one pass where its list call carries them.
    Map<LaunchedRunner, ContainerStatus> listed = launcher.listOwnedWithStatus(owner);
    List<LaunchedRunner> containers = List.copyOf(listed.keySet());
    List<ContainerStatus> statuses = List.copyOf(listed.values());
    List<ScaleSetRunner> registrations = client.listRunners(scaleSetId);
    Instant now = clock.instant();
    Map<Long, ScaleSetRunner> byId = new LinkedHashMap<>();
    registrations.forEach(r -> byId.put(r.id(), r));
    Map<String, ScaleSetRunner> byTagName = new HashMap<>();
    registrations.forEach(r -> byTagName.put(OwnershipTags.safeValue(r.name()), r));
    List<PoolRunner> runners = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      LaunchedRunner container = containers.get(i);
      ContainerStatus status = statuses.get(i);
      OptionalLong id = githubId(container);
      Optional<ScaleSetRunner> registration = id.isPresent()
          ? Optional.ofNullable(byId.get(id.getAsLong()))
          : container.tag(OwnershipTags.RUNNER).map(byTagName::get);
      registration.ifPresent(r -> byId.remove(r.id()));
      String name = registration.map(ScaleSetRunner::name)
          .orElse(container.tag(OwnershipTags.RUNNER).orElse(container.resourceId()));
      runners.add(new PoolRunner(name, registration.map(r -> OptionalLong.of(r.id())).orElse(id),
          Optional.of(container), Optional.of(status), registration, containerState(status, registration),
          container.launchedAt()));
    }
    for (ScaleSetRunner registration : byId.values()) {
      Instant created = registration.createdOn()
          .orElseGet(() -> firstSeen.computeIfAbsent(registration.id(), ignored -> now));
      runners.add(new PoolRunner(registration.name(), OptionalLong.of(registration.id()), Optional.empty(),
          Optional.empty(), Optional.of(registration), registrationState(registration, created, now), created));
    }
    firstSeen.keySet().retainAll(registrations.stream().map(ScaleSetRunner::id).toList());
    return new PoolSnapshot(now, runners);
  }

  /** The GitHub runner id a container is tagged with. */
  static OptionalLong githubId(LaunchedRunner container) {
    Optional<String> tag = container.tag(OwnershipTags.GITHUB_ID);
    if (tag.isPresent() && tag.get().matches("\\d{1,18}")) {
      return OptionalLong.of(Long.parseLong(tag.get()));
    }
    return OptionalLong.empty();
  }

  static RunnerState containerState(ContainerStatus status, Optional<ScaleSetRunner> registration) {
    if (status.state().isFinal()) {
      return RunnerState.FINISHED;
    }
    if (registration.isEmpty()) {
      return RunnerState.FINISHING;
    }
    return registration.get().busy() ? RunnerState.BUSY
        : registration.get().online() ? RunnerState.IDLE : RunnerState.BOOTING;
  }

  private RunnerState registrationState(ScaleSetRunner registration, Instant created, Instant now) {
    if (registration.busy()) {
      return RunnerState.BUSY;
    }
    if (registration.online()) {
      return RunnerState.IDLE;
    }
    return now.isBefore(created.plus(registrationGrace)) ? RunnerState.BOOTING : RunnerState.ORPHAN;
  }
}
