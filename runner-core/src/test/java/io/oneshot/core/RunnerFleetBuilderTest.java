package io.oneshot.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubScope;
import io.oneshot.spi.LaunchedRunner;
import io.oneshot.spi.OwnershipTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A fleet built from a GitHub client and a launcher owns what the action would own for that scope. */
class RunnerFleetBuilderTest {
  private final FleetFixture fixture = new FleetFixture();
  private final List<FleetEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  private RunnerFleet.Builder builder() {
    return RunnerFleet.builder().github(fixture.client).launcher(fixture.launcher)
        .clock(fixture.clock).sleeper(fixture.clock.sleeper()).random(new Random(17)).listener(events::add);
  }

  @Test
  void theOwnerIsDerivedFromTheGitHubScopeAndTheLaunchersScope() {
    RunnerFleet fleet = builder().build();

    assertThat(fleet.owner()).isEqualTo(FleetOwner.of(new GitHubScope.Organization("octo"), fixture.launcher))
        .matches("orgs-octo-in-memory-local-[0-9a-f]{10}");
    assertThat(new RunnerFleet(fixture.client, fixture.launcher, FleetOptions.defaults()).owner())
        .isEqualTo(fleet.owner());
  }

  @Test
  void theClockSleeperAndListenersSetOnTheBuilderAreTheFleets() {
    FleetListener fromOptions = event -> { };
    RunnerFleet fleet = builder().options(FleetOptions.builder().listener(fromOptions).parallelism(3).build()).build();

    assertThat(fleet.options().clock()).isSameAs(fixture.clock);
    assertThat(fleet.options().parallelism()).isEqualTo(3);
    assertThat(fleet.options().listeners()).hasSize(2).startsWith(fromOptions);
  }

  @Test
  void aBatchStartedWithoutNamingAnOwnerIsStoppedAndSweptByTheFleetsOwner() {
    RunnerFleet fleet = builder().build();

    BatchResult batch = fleet.start(fleet.request().prefix("dev").count(2).build());

    assertThat(batch.runners()).allMatch(r -> r.kind() == OutcomeKind.ONLINE);
    assertThat(fixture.launcher.containers()).allSatisfy(c ->
        assertThat(c.tag(OwnershipTags.OWNER)).contains(fleet.owner()));
    assertThat(events).extracting(FleetEvent::phase).contains(FleetPhase.PLANNED, FleetPhase.ONLINE);
    // Online runners are neither expired nor late: the owner's sweep leaves them.
    assertThat(fleet.sweep("dev").nothingToDo()).isTrue();

    StopReport stopped = fleet.stop(batch.batchLabel(), false);

    assertThat(stopped.runners()).hasSize(2);
    assertThat(fixture.launcher.liveContainers()).isEmpty();
    assertThat(fixture.registrations()).isEmpty();
  }

  @Test
  void stopRunUsesTheFleetsOwner() {
    RunnerFleet fleet = builder().build();
    fleet.start(fleet.request().prefix("dev").count(1).workflowRun("4242").build());
    fleet.start(FleetRequest.builder("another-team").prefix("dev").count(1).workflowRun("4242").build());

    StopReport stopped = fleet.stopRun("4242", false);

    // GitHub registrations carry no owner, so both registrations of the run go; containers only the owner's.
    assertThat(stopped.runners()).filteredOn(r -> r.resourceId().isPresent()).hasSize(1);
    assertThat(fixture.launcher.terminateCalls()).isEqualTo(1);
  }

  @Test
  void aFleetNeedsAGitHubClientAndALauncher() {
    assertThatThrownBy(() -> RunnerFleet.builder().launcher(fixture.launcher).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("github");
    assertThatThrownBy(() -> RunnerFleet.builder().github(fixture.client).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("launcher");
  }

  @Test
  void sweepMarksKeptInTheEmbeddersStoreSurviveANewFleet() {
    RecordingStore store = new RecordingStore();
    RunnerFleet before = builder().sweepMarks(store).build();
    fixture.launcher.faults().neverOnline(1);
    BatchResult batch = before.start(before.request().prefix("dev").count(1).waitForOnline(false).build());
    String resourceId = batch.runners().get(0).container().orElseThrow().resourceId();
    fixture.clock.advance(Duration.ofMinutes(16));

    SweepReport first = before.sweep("dev");
    // A restart: a new fleet (new options, nothing in memory) over the same store.
    RunnerFleet after = RunnerFleet.builder().github(fixture.client).launcher(fixture.launcher)
        .clock(fixture.clock).sleeper(fixture.clock.sleeper()).sweepMarks(store).build();
    SweepReport second = after.sweep("dev");

    assertThat(first.actions()).extracting(SweepFinding::kind).containsExactly(SweepActionKind.MARKED_NEVER_ONLINE);
    assertThat(second.actions()).extracting(SweepFinding::kind).containsExactly(SweepActionKind.STOPPED_NEVER_ONLINE);
    assertThat(store.calls).containsSubsequence("mark " + resourceId, "markedAt " + resourceId, "unmark " + resourceId);
    assertThat(store.marks).isEmpty();
    assertThat(fixture.launcher.liveContainers()).extracting(LaunchedRunner::resourceId).doesNotContain(resourceId);
  }

  @Test
  void optionsBuiltFromNothingAreTheDefaults() {
    FleetOptions built = FleetOptions.builder().build();
    FleetOptions defaults = FleetOptions.defaults();

    assertThat(built.parallelism()).isEqualTo(defaults.parallelism()).isEqualTo(16);
    assertThat(built.initialPollInterval()).isEqualTo(defaults.initialPollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(built.maxPollInterval()).isEqualTo(defaults.maxPollInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(built.bootTimeout()).isEqualTo(defaults.bootTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(built.cancelBudget()).isEqualTo(FleetOptions.DEFAULT_CANCEL_BUDGET);
    assertThat(built.clock()).isEqualTo(defaults.clock());
    assertThat(built.listeners()).isEmpty();
    assertThat(built.sweepMarks()).isInstanceOf(SweepMarks.class).isNotSameAs(defaults.sweepMarks());
  }

  @Test
  void everyOptionCanBeSetOnTheBuilderAndTheWithMethodsKeepTheRest() {
    RecordingStore store = new RecordingStore();
    FleetListener listener = event -> { };
    Random random = new Random(1);
    FleetOptions options = FleetOptions.builder().clock(fixture.clock).sleeper(fixture.clock.sleeper()).random(random)
        .listener(listener).parallelism(2).polling(Duration.ofMillis(500), Duration.ofSeconds(2))
        .bootTimeout(Duration.ofMinutes(5)).sweepMarks(store).cancelBudget(Duration.ofSeconds(3)).build();

    FleetOptions changed = options.withParallelism(4).withBootTimeout(Duration.ofMinutes(7));

    assertThat(changed).isEqualTo(new FleetOptions(fixture.clock, options.sleeper(), random, List.of(listener), 4,
        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(7), store, Duration.ofSeconds(3)));
    assertThat(options.toBuilder().build()).isEqualTo(options);
    assertThatThrownBy(() -> FleetOptions.builder().polling(Duration.ofSeconds(3), Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poll intervals");
  }

  /** A store an embedder might back with a database: a map, and a log of what the sweep asked. */
  private static final class RecordingStore implements SweepMarkStore {
    final Map<String, Instant> marks = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void mark(String resourceId, Instant at) {
      calls.add("mark " + resourceId);
      marks.putIfAbsent(resourceId, at);
    }

    @Override
    public Optional<Instant> markedAt(String resourceId) {
      calls.add("markedAt " + resourceId);
      return Optional.ofNullable(marks.get(resourceId));
    }

    @Override
    public void unmark(String resourceId) {
      if (marks.containsKey(resourceId)) {
        calls.add("unmark " + resourceId);
      }
      marks.remove(resourceId);
    }
  }
}
