package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.RunnerSlot.State;
import io.oneshot.core.WaitDecision.Sighting;
import io.oneshot.core.WaitDecision.SlotView;
import io.oneshot.github.Runner;
import io.oneshot.spi.ContainerState;
import io.oneshot.spi.ContainerStatus;
import io.oneshot.spi.FailureKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The wait loop's per-runner decision, as a table: slot, container, GitHub, time → decision. */
class WaitDecisionTest {
  private static final Instant DEADLINE = Instant.parse("2026-01-01T00:05:00Z");
  private static final Instant BEFORE = DEADLINE.minusSeconds(30);

  private static final SlotView WAITING = new SlotView(State.LAUNCHED, 1, true, false);
  private static final SlotView WAITING_RUNNING_SEEN = new SlotView(State.LAUNCHED, 1, true, true);
  private static final SlotView SECOND_ATTEMPT = new SlotView(State.LAUNCHED, 2, true, true);
  private static final SlotView TOKEN_RUNNER = new SlotView(State.LAUNCHED, 1, false, true);

  private static final ContainerStatus PENDING = ContainerStatus.of(ContainerState.PENDING, "PROVISIONING");
  private static final ContainerStatus RUNNING = ContainerStatus.of(ContainerState.RUNNING, "RUNNING");
  private static final ContainerStatus NO_ANSWER = ContainerStatus.of(ContainerState.UNRECOGNIZED, "DESCRIBE_FAILED");
  private static final ContainerStatus EXITED_0 =
      new ContainerStatus(ContainerState.STOPPED, "STOPPED", Optional.of(0), "", Optional.empty());
  private static final ContainerStatus EXITED_4 =
      ContainerStatus.failed("STOPPED", FailureKind.EXITED, "runner exited", Optional.of(4));
  private static final ContainerStatus EXITED_64 =
      ContainerStatus.failed("STOPPED", FailureKind.EXITED, "bad env", Optional.of(64));
  private static final ContainerStatus NO_CAPACITY =
      ContainerStatus.failed("STOPPED", FailureKind.CAPACITY, "SpotInterruption", Optional.empty());
  private static final ContainerStatus IMAGE_PULL =
      ContainerStatus.failed("STOPPED", FailureKind.IMAGE_PULL, "CannotPullContainerError", Optional.empty());
  private static final ContainerStatus GONE = ContainerStatus.gone("unknown task");

  private static final Sighting UNAVAILABLE = new Sighting.Unavailable();
  private static final Sighting ABSENT = new Sighting.NotListed();
  private static final Sighting ONLINE = listed("online", false);
  private static final Sighting BUSY = listed("online", true);
  private static final Sighting OFFLINE = listed("offline", false);

  private static Sighting listed(String status, boolean busy) {
    return new Sighting.Listed(new Runner(7, "dev-abcdefgh", "Linux", status, busy, List.of("dev"), true));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // slot, container, GitHub, now → decision
        row(WAITING, RUNNING, ONLINE, BEFORE, new WaitDecision.Online(false)),
        row(WAITING, RUNNING, BUSY, BEFORE, new WaitDecision.Online(true)),
        row(WAITING, NO_ANSWER, ONLINE, BEFORE, new WaitDecision.Online(false)),
        row(WAITING, EXITED_0, BUSY, BEFORE, new WaitDecision.Online(true)),
        row(WAITING, RUNNING, ONLINE, DEADLINE, new WaitDecision.Online(false)),
        row(WAITING, EXITED_0, ABSENT, BEFORE, new WaitDecision.OnlineAfterJob()),
        row(WAITING, EXITED_0, ABSENT, DEADLINE.plusSeconds(1), new WaitDecision.OnlineAfterJob()),
        row(TOKEN_RUNNER, EXITED_0, ABSENT, BEFORE, failed(FailureKind.EXITED, false, "exit code 0")),
        row(WAITING, EXITED_0, UNAVAILABLE, BEFORE, failed(FailureKind.EXITED, false, "exit code 0")),
        row(WAITING, EXITED_0, OFFLINE, BEFORE, failed(FailureKind.EXITED, false, "exit code 0")),
        row(WAITING, EXITED_4, ABSENT, BEFORE, failed(FailureKind.EXITED, true, "exit code 4: the runner exited without a job")),
        row(SECOND_ATTEMPT, EXITED_4, ABSENT, BEFORE, failed(FailureKind.EXITED, false, "exit code 4")),
        row(WAITING, EXITED_64, ABSENT, BEFORE, failed(FailureKind.CONFIGURATION, false, "invalid container environment")),
        row(WAITING, NO_CAPACITY, UNAVAILABLE, BEFORE, failed(FailureKind.CAPACITY, true, "SpotInterruption")),
        row(SECOND_ATTEMPT, NO_CAPACITY, ABSENT, DEADLINE, failed(FailureKind.CAPACITY, true, "SpotInterruption")),
        row(WAITING, IMAGE_PULL, ABSENT, BEFORE, failed(FailureKind.IMAGE_PULL, false, "CannotPullContainerError")),
        row(WAITING, GONE, ABSENT, BEFORE, failed(FailureKind.UNKNOWN, false, "container GONE: unknown task")),
        row(WAITING, RUNNING, ABSENT, BEFORE, new WaitDecision.FirstRunning()),
        row(WAITING, RUNNING, UNAVAILABLE, BEFORE, new WaitDecision.FirstRunning()),
        row(WAITING, RUNNING, OFFLINE, BEFORE, new WaitDecision.FirstRunning()),
        row(WAITING_RUNNING_SEEN, RUNNING, OFFLINE, BEFORE, new WaitDecision.KeepWaiting()),
        row(WAITING, PENDING, ABSENT, BEFORE, new WaitDecision.KeepWaiting()),
        row(WAITING, NO_ANSWER, UNAVAILABLE, BEFORE, new WaitDecision.KeepWaiting()),
        row(WAITING, RUNNING, OFFLINE, DEADLINE, new WaitDecision.TimedOut()),
        row(WAITING, PENDING, ABSENT, DEADLINE.plusSeconds(1), new WaitDecision.TimedOut()),
        row(WAITING, NO_ANSWER, UNAVAILABLE, DEADLINE, new WaitDecision.TimedOut()),
        row(new SlotView(State.PENDING, 1, true, false), RUNNING, ONLINE, BEFORE, new WaitDecision.NotWaiting()),
        row(new SlotView(State.ONLINE, 1, true, true), EXITED_4, ABSENT, BEFORE, new WaitDecision.NotWaiting()),
        row(new SlotView(State.FAILED, 1, true, true), RUNNING, ONLINE, DEADLINE, new WaitDecision.NotWaiting()),
        row(new SlotView(State.TIMED_OUT, 1, true, true), RUNNING, ONLINE, BEFORE, new WaitDecision.NotWaiting()));
  }

  private static Arguments row(SlotView slot, ContainerStatus status, Sighting seen, Instant now, Object expected) {
    return Arguments.of(slot, status, seen, now, expected);
  }

  /** A failure with its kind, retry flag and a piece of its reason. */
  private record ExpectedFailure(FailureKind kind, boolean retryable, String reasonPart) {}

  private static ExpectedFailure failed(FailureKind kind, boolean retryable, String reasonPart) {
    return new ExpectedFailure(kind, retryable, reasonPart);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} at {3} -> {4}")
  @MethodSource("table")
  void decides(SlotView slot, ContainerStatus status, Sighting seen, Instant now, Object expected) {
    WaitDecision decision = WaitDecision.decide(slot, status, seen, now, DEADLINE);

    if (expected instanceof ExpectedFailure failure) {
      assertThat(decision).isInstanceOfSatisfying(WaitDecision.Failed.class, failed -> {
        assertThat(failed.kind()).isEqualTo(failure.kind());
        assertThat(failed.retryable()).isEqualTo(failure.retryable());
        assertThat(failed.reason()).contains(failure.reasonPart()).endsWith("before the runner was online");
      });
    } else {
      assertThat(decision).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} at {3}")
  @MethodSource("table")
  void isPure(SlotView slot, ContainerStatus status, Sighting seen, Instant now, Object ignored) {
    assertThat(WaitDecision.decide(slot, status, seen, now, DEADLINE))
        .isEqualTo(WaitDecision.decide(slot, status, seen, now, DEADLINE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sightings")
  void aListingIsReadAsASighting(String what, Optional<java.util.Map<String, Runner>> listing, Class<?> expected) {
    assertThat(Sighting.of(listing, "dev-abcdefgh")).isInstanceOf(expected);
  }

  static Stream<Arguments> sightings() {
    Runner runner = new Runner(7, "dev-abcdefgh", "Linux", "online", false, List.of("dev"), true);
    return Stream.of(
        Arguments.of("GitHub did not answer", Optional.empty(), Sighting.Unavailable.class),
        Arguments.of("not in the list", Optional.of(java.util.Map.of()), Sighting.NotListed.class),
        Arguments.of("in the list", Optional.of(java.util.Map.of("dev-abcdefgh", runner)), Sighting.Listed.class));
  }
}
