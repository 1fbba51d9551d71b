package io.oneshot.bench;

import io.oneshot.core.BatchResult;
import io.oneshot.core.FleetOptions;
import io.oneshot.core.FleetRequest;
import io.oneshot.core.OutcomeKind;
import io.oneshot.core.RunnerFleet;
import io.oneshot.core.RunnerOutcome;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Measures the fleet's own cost against the in-process fakes: wall time of start (until every runner
 * is online) and stop, GitHub calls per runner, and how late the fleet sees a runner online after it
 * really is (poll granularity), on simulated time. Cloud and GitHub latency are not in these numbers:
 * the fakes answer on loopback. Blocks; prints a Markdown table.
 */
public final class FleetBench {
  private static final Duration PENDING = Duration.ofSeconds(2);
  private static final Duration BOOT = Duration.ofSeconds(3);

  private FleetBench() {}

  /** Runs each batch size {@code rounds} times after one warm-up round. */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    System.out.println("| runners | start ms (median) | stop ms (median) | GitHub calls per runner |"
        + " all online after (simulated s) | seen online late by (max s) |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (int count : new int[] {1, 20, 100}) {
      run(count);
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        samples.add(run(count));
      }
      System.out.printf("| %d | %d | %d | %.2f | %.1f | %.1f |%n", count,
          median(samples.stream().map(Sample::startMillis).toList()),
          median(samples.stream().map(Sample::stopMillis).toList()),
          samples.stream().mapToDouble(Sample::callsPerRunner).max().orElseThrow(),
          samples.stream().mapToDouble(Sample::allOnlineSeconds).max().orElseThrow(),
          samples.stream().mapToDouble(Sample::lateSeconds).max().orElseThrow());
    }
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.out.printf("%nheap in use after the runs: %d MiB; %d processors; %s %s%n",
        (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
  }

  private record Sample(long startMillis, long stopMillis, double callsPerRunner, double allOnlineSeconds,
      double lateSeconds) {}

  private static Sample run(int count) {
    TestClock clock = TestClock.atEpochOfTests();
    try (FakeGitHub github = FakeGitHub.builder().clock(clock).seed(count).build()) {
      github.addOrganization("bench");
      GitHubClient client = GitHubClient.builder().apiUrl(github.apiUrl())
          .scope(new GitHubScope.Organization("bench")).credentials(GitHubCredentials.token(github.issueToken()))
          .clock(clock).sleeper(clock.sleeper()).build();
      InMemoryLauncher launcher = new InMemoryLauncher(github, PENDING, BOOT, 2);
      RunnerFleet fleet = new RunnerFleet(client, launcher,
          FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(count)));
      long started = System.nanoTime();
      BatchResult batch = fleet.start(FleetRequest.builder("bench").prefix("bench").count(count).build());
      long online = System.nanoTime();
      fleet.stop("bench", batch.batchLabel(), false);
      long stopped = System.nanoTime();
      if (batch.withKind(OutcomeKind.ONLINE).size() != count) {
        throw new IllegalStateException("not every runner came online: " + batch.runners());
      }
      double allOnline = batch.runners().stream().map(RunnerOutcome::timeToOnline)
          .mapToDouble(d -> d.orElseThrow().toMillis() / 1000.0).max().orElseThrow();
      double late = allOnline - PENDING.plus(BOOT).toMillis() / 1000.0;
      return new Sample((online - started) / 1_000_000, (stopped - online) / 1_000_000,
          (double) github.callCount() / count, allOnline, late);
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
