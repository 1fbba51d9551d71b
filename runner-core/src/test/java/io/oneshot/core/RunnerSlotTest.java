package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.core.RunnerSlot.State;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.RunnerCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A slot's state only moves forward; every legal move works and illegal ones throw. */
class RunnerSlotTest {
  private static final LaunchedRunner CONTAINER = new LaunchedRunner("in-memory", "mem-1", "local", Optional.empty(),
      Optional.empty(), Instant.parse("2026-01-01T00:00:00Z"), Map.of());

  private static Registration registration(String name) {
    return new Registration(name, OptionalLong.of(7), new RunnerCredential.JitConfig("encoded-jit-config"), List.of());
  }

  /** A slot brought to {@code state} by legal moves. */
  private static RunnerSlot slotIn(State state) {
    RunnerSlot slot = new RunnerSlot("dev-abcdefgh");
    if (state == State.PENDING) {
      return slot;
    }
    slot.beginAttempt(registration("dev-abcdefgh"), 0);
    if (state == State.LAUNCHED) {
      slot.launched(CONTAINER);
      return slot;
    }
    switch (state) {
      case ONLINE -> slot.online(Duration.ofSeconds(5));
      case FAILED -> slot.failed(FailureKind.CAPACITY, "no capacity");
      case TIMED_OUT -> slot.timedOut("late");
      default -> throw new IllegalArgumentException(state.name());
    }
    return slot;
  }

  private static final Map<String, Consumer<RunnerSlot>> MOVES = Map.of(
      "beginAttempt", slot -> slot.beginAttempt(registration("dev-ijklmnop"), 1),
      "launched", slot -> slot.launched(CONTAINER),
      "online", slot -> slot.online(Duration.ofSeconds(9)),
      "failed", slot -> slot.failed(FailureKind.EXITED, "exited"),
      "timedOut", slot -> slot.timedOut("late"));

  static Stream<Arguments> legal() {
    return Stream.of(
        Arguments.of(State.PENDING, "beginAttempt", State.PENDING),
        Arguments.of(State.PENDING, "launched", State.LAUNCHED),
        Arguments.of(State.PENDING, "online", State.ONLINE),
        Arguments.of(State.PENDING, "failed", State.FAILED),
        Arguments.of(State.PENDING, "timedOut", State.TIMED_OUT),
        Arguments.of(State.LAUNCHED, "beginAttempt", State.PENDING),
        Arguments.of(State.LAUNCHED, "online", State.ONLINE),
        Arguments.of(State.LAUNCHED, "failed", State.FAILED),
        Arguments.of(State.LAUNCHED, "timedOut", State.TIMED_OUT),
        Arguments.of(State.ONLINE, "online", State.ONLINE));
  }

  static Stream<Arguments> illegal() {
    return Stream.of(
        Arguments.of(State.LAUNCHED, "launched"),
        Arguments.of(State.ONLINE, "launched"),
        Arguments.of(State.ONLINE, "beginAttempt"),
        Arguments.of(State.ONLINE, "failed"),
        Arguments.of(State.ONLINE, "timedOut"),
        Arguments.of(State.FAILED, "online"),
        Arguments.of(State.FAILED, "launched"),
        Arguments.of(State.FAILED, "beginAttempt"),
        Arguments.of(State.FAILED, "failed"),
        Arguments.of(State.FAILED, "timedOut"),
        Arguments.of(State.TIMED_OUT, "online"),
        Arguments.of(State.TIMED_OUT, "launched"),
        Arguments.of(State.TIMED_OUT, "beginAttempt"),
        Arguments.of(State.TIMED_OUT, "failed"));
  }

  @ParameterizedTest(name = "{0} --{1}--> {2}")
  @MethodSource("legal")
  void aLegalMoveChangesTheState(State from, String move, State to) {
    RunnerSlot slot = slotIn(from);

    MOVES.get(move).accept(slot);

    assertThat(slot.state()).isEqualTo(to);
  }

  @ParameterizedTest(name = "{0} --{1}--> refused")
  @MethodSource("illegal")
  void anIllegalMoveThrowsAndChangesNothing(State from, String move) {
    RunnerSlot slot = slotIn(from);
    RunnerOutcome before = slot.outcome(true);

    assertThatThrownBy(() -> MOVES.get(move).accept(slot))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from " + from).hasMessageContaining("dev-");
    assertThat(slot.state()).isEqualTo(from);
    assertThat(slot.outcome(true)).isEqualTo(before);
  }

  @Test
  void onlineTwiceKeepsTheFirstTime() {
    RunnerSlot slot = slotIn(State.LAUNCHED);

    slot.online(Duration.ofSeconds(5));
    slot.online(Duration.ofSeconds(50));

    assertThat(slot.outcome(true).timeToOnline()).contains(Duration.ofSeconds(5));
  }

  @Test
  void theViewSaysWhetherRunningWasReportedForThisAttempt() {
    RunnerSlot slot = slotIn(State.LAUNCHED);
    assertThat(slot.view().runningReported()).isFalse();

    slot.reportedRunning();
    assertThat(slot.view()).isEqualTo(new WaitDecision.SlotView(State.LAUNCHED, 1, true, true));

    slot.beginAttempt(registration("dev-qrstuvwx"), 1);
    assertThat(slot.view()).isEqualTo(new WaitDecision.SlotView(State.PENDING, 2, true, false));
  }
}
