package io.oneshot.pool;

import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.scaleset.FakeScaleSetService;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.RetryPolicy;
import io.oneshot.scaleset.ScaleSetClient;
import io.oneshot.scaleset.ScaleSetMessage;
import io.oneshot.spi.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake GitHub organization with the scale-set service (jobs run on the simulated runners), an in-memory
 * cloud whose containers boot in 5 s, and pools built over them as {@code oneshot serve} builds its own.
 * Closing it fails the test if the service saw a request that breaks the protocol's conventions.
 */
final class PoolFixture implements AutoCloseable {
  static final Duration JOB = Duration.ofSeconds(30);
  final TestClock clock = TestClock.atEpochOfTests();
  final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(7).build();
  final FakeScaleSetService service;
  final InMemoryLauncher launcher = new InMemoryLauncher(github, Duration.ofSeconds(2), Duration.ofSeconds(3), 2);
  final GitHubClient rest;
  final Recorder recorder = new Recorder();
  private final List<RunnerPool> pools = new ArrayList<>();

  PoolFixture() {
    this(Duration.ofMillis(20));
  }

  PoolFixture(Duration longPollHold) {
    github.addOrganization("octo");
    service = FakeScaleSetService.builder(github).seed(11).longPollHold(longPollHold).runJobs(JOB).build();
    rest = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(3)).build();
  }

  ScaleSetClient scaleSetClient() {
    return ScaleSetClient.builder().github(rest).clock(clock).sleeper(clock.sleeper()).random(new Random(5))
        .retryPolicy(RetryPolicy.defaults()).pollTimeout(Duration.ofSeconds(10)).build();
  }

  static PoolSettings.Builder settings() {
    return PoolSettings.builder("oneshot-linux").labels(List.of("linux")).maxRunners(100)
        .sessionOwner("replica-a");
  }

  RunnerPool pool(PoolSettings settings) {
    RunnerPool pool = RunnerPool.builder().github(rest).scaleSetClient(scaleSetClient()).launcher(launcher)
        .settings(settings).clock(clock).random(new Random(pools.size() + 1)).listener(recorder)
        .sleeper(duration -> Thread.sleep(Math.min(5, Math.max(1, duration.toMillis()))))
        .build();
    pools.add(pool);
    return pool;
  }

  /** A pool's loop, prepared (scale set made), to step by hand. */
  PoolLoop loop(PoolSettings settings) {
    PoolLoop loop = pool(settings).loop();
    loop.prepare();
    return loop;
  }

  long scaleSetId() {
    return service.scaleSetId("oneshot-linux").orElseThrow();
  }

  /** Steps the loop {@code times} times, moving the clock on by {@code each} after every step. */
  void run(PoolLoop loop, int times, Duration each) {
    for (int i = 0; i < times; i++) {
      loop.step();
      clock.advance(each);
      service.dispatch();
    }
  }

  long[] enqueue(int jobs) {
    long[] ids = new long[jobs];
    for (int i = 0; i < jobs; i++) {
      ids[i] = service.enqueueJob(scaleSetId());
    }
    return ids;
  }

  @Override
  public void close() {
    pools.forEach(RunnerPool::close);
    service.close();
    github.close();
  }

  /** What the pool told its listener. */
  static final class Recorder implements PoolListener {
    final List<String> launched = new CopyOnWriteArrayList<>();
    final List<FailureKind> failures = new CopyOnWriteArrayList<>();
    final List<RemovalReason> removals = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<Boolean> leadership = Collections.synchronizedList(new ArrayList<>());
    final List<Long> messages = new CopyOnWriteArrayList<>();
    volatile int lastDesired = -1;
    volatile Runnable onLaunched;
    volatile java.util.function.Consumer<ScaleSetMessage> onMessage;

    @Override
    public void launched(String runnerName) {
      launched.add(runnerName);
      Runnable hook = onLaunched;
      if (hook != null) {
        hook.run();
      }
    }

    @Override
    public void launchFailed(FailureKind kind, String reason) {
      failures.add(kind);
    }

    @Override
    public void removed(PoolRunner runner, RemovalReason reason) {
      removals.add(reason);
    }

    @Override
    public void jobToOnline(Duration waited) {
      waits.add(waited);
    }

    @Override
    public void leadership(boolean leader) {
      leadership.add(leader);
    }

    @Override
    public void message(ScaleSetMessage message) {
      messages.add(message.messageId());
      var hook = onMessage;
      if (hook != null) {
        hook.accept(message);
      }
    }

    @Override
    public void observed(PoolSnapshot snapshot, int desired) {
      lastDesired = desired;
    }
  }
}
