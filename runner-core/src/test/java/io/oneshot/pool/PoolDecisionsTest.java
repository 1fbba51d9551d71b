package io.oneshot.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.scaleset.ScaleSetRunner;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The pool's pure decisions: desired count, scale plan, janitor, settings checks. */
class PoolDecisionsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Duration BOOT = Duration.ofMinutes(5);
  private static final Duration GRACE = Duration.ofMinutes(2);

  private static PoolRunner runner(String name, RunnerState state, Duration age, boolean container,
      Optional<Instant> expires) {
    Map<String, String> tags = expires.map(at -> Map.of(OwnershipTags.EXPIRES, Long.toString(at.getEpochSecond())))
        .orElse(Map.of());
    Optional<LaunchedRunner> launched = container ? Optional.of(new LaunchedRunner("ecs", "arn:" + name, "us-east-1",
        Optional.empty(), Optional.empty(), NOW.minus(age), tags)) : Optional.empty();
    Optional<ContainerStatus> status = launched.map(c -> ContainerStatus.of(
        state == RunnerState.FINISHED ? ContainerState.STOPPED : ContainerState.RUNNING, "RUNNING"));
    Optional<ScaleSetRunner> registration = state == RunnerState.FINISHING || (state == RunnerState.FINISHED
        && !name.contains("registered")) ? Optional.empty() : Optional.of(new ScaleSetRunner(7, name, 1,
        state == RunnerState.IDLE || state == RunnerState.BUSY, state == RunnerState.BUSY, Optional.of(NOW.minus(age))));
    return new PoolRunner(name, OptionalLong.of(7), launched, status, registration, state, NOW.minus(age));
  }

  private static PoolRunner runner(String name, RunnerState state, Duration age) {
    return runner(name, state, age, true, Optional.empty());
  }

  @Test
  void desiredIsMinPlusAssignedClampedToMax() {
    PoolSettings settings = PoolSettings.builder("linux").minRunners(2).maxRunners(5).build();
    assertThat(settings.desiredRunners(0)).isEqualTo(2);
    assertThat(settings.desiredRunners(2)).isEqualTo(4);
    assertThat(settings.desiredRunners(60)).isEqualTo(5);
    assertThat(settings.desiredRunners(-3)).isEqualTo(2);
    assertThat(PoolSettings.builder("linux").build().desiredRunners(Integer.MAX_VALUE)).isEqualTo(10);
  }

  @Test
  void aPlanLaunchesTheDifferenceOrRemovesOnlyTheOldestIdleRunners() {
    PoolSnapshot snapshot = new PoolSnapshot(NOW, List.of(runner("busy", RunnerState.BUSY, Duration.ofMinutes(9)),
        runner("booting", RunnerState.BOOTING, Duration.ofSeconds(20)),
        runner("idle-new", RunnerState.IDLE, Duration.ofMinutes(1)),
        runner("idle-old", RunnerState.IDLE, Duration.ofMinutes(8)),
        runner("gone", RunnerState.FINISHED, Duration.ofMinutes(30))));
    assertThat(snapshot.live()).isEqualTo(4);
    assertThat(ScalePlan.of(snapshot, 6)).extracting(ScalePlan::toLaunch).isEqualTo(2);
    assertThat(ScalePlan.of(snapshot, 4).toLaunch()).isZero();
    assertThat(ScalePlan.of(snapshot, 4).toRemove()).isEmpty();
    assertThat(ScalePlan.of(snapshot, 3).toRemove()).extracting(PoolRunner::name).containsExactly("idle-old");
    assertThat(ScalePlan.of(snapshot, 0).toRemove()).extracting(PoolRunner::name)
        .containsExactly("idle-old", "idle-new"); // never the busy or the booting one
  }

  @Test
  void theJanitorRemovesLeftoversAndNeverALiveRunnerInTime() {
    Instant past = NOW.minusSeconds(1);
    PoolSnapshot snapshot = new PoolSnapshot(NOW, List.of(
        runner("booting-young", RunnerState.BOOTING, Duration.ofMinutes(4)),
        runner("booting-stuck", RunnerState.BOOTING, Duration.ofMinutes(6)),
        runner("registration-young", RunnerState.BOOTING, Duration.ofMinutes(6), false, Optional.empty()),
        runner("orphan", RunnerState.ORPHAN, Duration.ofMinutes(3), false, Optional.empty()),
        runner("finishing-young", RunnerState.FINISHING, Duration.ofMinutes(1)),
        runner("finishing-old", RunnerState.FINISHING, Duration.ofMinutes(3)),
        runner("finished", RunnerState.FINISHED, Duration.ofMinutes(3)),
        runner("finished-registered", RunnerState.FINISHED, Duration.ofMinutes(3)),
        runner("busy-expired", RunnerState.BUSY, Duration.ofHours(7), true, Optional.of(past)),
        runner("idle", RunnerState.IDLE, Duration.ofHours(1), true, Optional.of(NOW.plusSeconds(60)))));

    assertThat(Janitor.plan(snapshot, BOOT, GRACE, false)).extracting(r -> r.runner().name() + ":" + r.reason())
        .containsExactly("booting-stuck:BOOT_TIMEOUT", "orphan:ORPHAN_REGISTRATION", "finishing-old:FINISHED",
            "finished-registered:FINISHED", "busy-expired:MAX_LIFETIME");
    assertThat(Janitor.plan(snapshot, BOOT, GRACE, true)).extracting(r -> r.runner().name())
        .contains("finished"); // ACI: a finished group is deleted even without a registration
  }

  @Test
  void settingsNameEachBadOption() {
    assertThatThrownBy(() -> PoolSettings.builder("has space").labels(List.of("ok", "a,b", "two words"))
        .minRunners(-1).maxRunners(0).bootTimeout(Duration.ofSeconds(10)).maxLifetime(Duration.ofDays(30)).build())
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .extracting(p -> p.input()).containsExactlyInAnyOrder("scale-set", "labels", "min-runners",
                "max-runners", "boot-timeout", "max-lifetime"));
    assertThat(PoolSettings.builder("x".repeat(PoolSettings.MAX_NAME_LENGTH)).build().scaleSetName())
        .hasSize(PoolSettings.MAX_NAME_LENGTH);
    PoolSettings defaults = PoolSettings.builder("linux").build();
    assertThat(defaults.idleTimeout()).isEqualTo(defaults.maxLifetime());
    assertThat(defaults.runnerGroup()).isEqualTo("Default");
  }
}
