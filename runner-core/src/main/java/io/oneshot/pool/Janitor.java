package io.oneshot.pool;

import io.oneshot.spi.OwnershipTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what the janitor removes from a snapshot: leftovers of finished containers (their registration,
 * and the container itself where the cloud keeps finished ones, as ACI keeps container groups), runners
 * not registered within the boot timeout, registrations with no container past the grace period,
 * containers whose registration is gone past the grace period, and containers past their expiry tag.
 * Pure: the pool carries the removals out ({@link RunnerRemover}). Stateless.
 */
final class Janitor {
  private Janitor() {}

  /** A runner to remove and why. */
  record Removal(PoolRunner runner, RemovalReason reason) {}

  static List<Removal> plan(PoolSnapshot snapshot, Duration bootTimeout, Duration registrationGrace,
      boolean keepsFinishedContainers) {
    Instant now = snapshot.at();
    List<Removal> removals = new ArrayList<>();
    for (PoolRunner runner : snapshot.runners()) {
      Optional<RemovalReason> reason = switch (runner.state()) {
        case FINISHED -> runner.registration().isPresent() || keepsFinishedContainers
            ? Optional.of(RemovalReason.FINISHED) : Optional.empty();
        case ORPHAN -> Optional.of(RemovalReason.ORPHAN_REGISTRATION);
        case FINISHING -> olderThan(runner, registrationGrace, now) ? Optional.of(RemovalReason.FINISHED)
            : Optional.empty();
        case BOOTING -> runner.container().isPresent() && olderThan(runner, bootTimeout, now)
            ? Optional.of(RemovalReason.BOOT_TIMEOUT) : expired(runner, now);
        case IDLE, BUSY -> expired(runner, now);
      };
      reason.ifPresent(r -> removals.add(new Removal(runner, r)));
    }
    return removals;
  }

  private static boolean olderThan(PoolRunner runner, Duration age, Instant now) {
    return !now.isBefore(runner.since().plus(age));
  }

  private static Optional<RemovalReason> expired(PoolRunner runner, Instant now) {
    Optional<String> expires = runner.container().flatMap(c -> c.tag(OwnershipTags.EXPIRES));
    if (expires.isPresent() && expires.get().matches("\\d{1,18}")
        && now.getEpochSecond() >= Long.parseLong(expires.get())) {
      return Optional.of(RemovalReason.MAX_LIFETIME);
    }
    return Optional.empty();
  }
}
