package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetOptions;
import io.oneshot.core.FleetPhase;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.StopAction;
import io.oneshot.core.StopReport;
import io.oneshot.core.StoppedRunner;
import io.oneshot.core.SweepReport;
import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.ecs.FakeTask;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.testkit.GitHubOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet on ECS (real SDK, fake ECS) when stops and sweeps run at the same time as a start or each other:
 * sweeps of the same owner, of another cluster, and of another backend, all sharing the prefix, run while a
 * batch boots and delete nothing of it; two stops of one label at once leave nothing and report every runner.
 */
class EcsConcurrencyTest {
  private final GitHubOrg org = new GitHubOrg("octo", 12);
  private final TestClock clock = org.clock();
  private final FakeGitHub github = org.github();
  private final EcsFixture fixture = new EcsFixture(github, clock);

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  private FleetOptions options() {
    return FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(5));
  }

  @Test
  void sweepsOfThisOwnerAnotherClusterAndAnotherBackendDuringABootDeleteNothingOfIt() {
    fixture.ecs.addCluster("other");
    List<SweepReport> sweeps = new CopyOnWriteArrayList<>();
    List<String> sweepFailures = new CopyOnWriteArrayList<>();
    AtomicBoolean swept = new AtomicBoolean();
    try (RunnerLauncher launcher = fixture.launcher();
        RunnerLauncher otherCluster = fixture.launcher("cluster", "other");
        InMemoryLauncher otherBackend = new InMemoryLauncher(github)) {
      RunnerFleet same = new RunnerFleet(org.client(), launcher, options());
      RunnerFleet other = new RunnerFleet(org.client(), otherCluster, options());
      RunnerFleet inMemory = new RunnerFleet(org.client(), otherBackend, options());
      // The sweeps run inside the start, as its first runner's task is launched: registered, task booting.
      RunnerFleet booting = new RunnerFleet(org.client(), launcher, options().withListener(event -> {
        if (event.phase() == FleetPhase.LAUNCHED && swept.compareAndSet(false, true)) {
          for (RunnerFleet sweeper : List.of(same, other, inMemory)) {
            try {
              sweeps.add(sweeper.sweep("ecs"));
            } catch (RuntimeException e) {
              sweepFailures.add(e.toString());
            }
          }
        }
      }));

      BatchResult batch = booting.start(booting.request().prefix("ecs").count(3).build());

      assertThat(swept).isTrue();
      assertThat(sweepFailures).isEmpty();
      assertThat(sweeps).hasSize(3).allSatisfy(s -> assertThat(s.actions()).as("sweep actions").isEmpty());
      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(3);
      assertThat(org.registrations()).hasSize(3).allMatch(r -> r.online());
      assertThat(fixture.ecs.tasks()).hasSize(3).allMatch(t -> t.lastStatus().equals("RUNNING"));
      assertThat(fixture.ecs.callCount("StopTask")).isZero();
    }
  }

  @Test
  void twoStopsOfOneLabelAtOnceLeaveNothingAndReportEveryRunner() throws Exception {
    try (RunnerLauncher first = fixture.launcher(); RunnerLauncher second = fixture.launcher()) {
      RunnerFleet fleet = new RunnerFleet(org.client(), first, options());
      RunnerFleet again = new RunnerFleet(org.client(), second, options());
      BatchResult batch = fleet.start(fleet.request().prefix("ecs").count(4).build());
      assertThat(batch.withKind(OutcomeKind.ONLINE)).hasSize(4);

      CountDownLatch go = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(2);
      List<StopReport> reports = new ArrayList<>();
      try {
        List<Future<StopReport>> stops = new ArrayList<>();
        for (RunnerFleet stopper : List.of(fleet, again)) {
          stops.add(threads.submit(() -> {
            go.await();
            return stopper.stop(batch.batchLabel(), false);
          }));
        }
        go.countDown();
        for (Future<StopReport> stop : stops) {
          reports.add(stop.get(60, TimeUnit.SECONDS));
        }
      } finally {
        threads.shutdownNow();
      }
      clock.advance(Duration.ofMinutes(1));

      assertThat(org.registrations()).isEmpty();
      assertThat(fixture.ecs.tasks()).hasSize(4).extracting(FakeTask::lastStatus).containsOnly("STOPPED");
      List<StoppedRunner> all = reports.stream().flatMap(r -> r.runners().stream()).toList();
      assertThat(all).allSatisfy(r -> {
        assertThat(r.action()).isNotEqualTo(StopAction.TERMINATE_FAILED);
        assertThat(r.detail()).isNotBlank();
      });
      assertThat(all).extracting(StoppedRunner::runnerName).containsAll(
          batch.runners().stream().map(o -> o.runnerName()).toList());
      System.out.println("two stops at once: " + reports.get(0).summary() + " | " + reports.get(1).summary());
    }
  }
}
