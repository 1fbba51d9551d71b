package io.oneshot.core;

import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.fakes.InMemoryLauncher;
import io.oneshot.fakes.TestClock;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.FakeRunner;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake GitHub organization, an in-memory launcher and a fleet over both, on one test clock. */
final class FleetFixture implements AutoCloseable {
  static final String SCOPE = "orgs/octo";
  static final String OWNER = "octo-team";

  final TestClock clock = TestClock.atEpochOfTests();
  final FakeGitHub github = FakeGitHub.builder().clock(clock).seed(5).build();
  final InMemoryLauncher launcher;
  final GitHubClient client;
  final List<FleetEvent> events = new CopyOnWriteArrayList<>();
  final RunnerFleet fleet;

  FleetFixture() {
    github.addOrganization("octo");
    launcher = new InMemoryLauncher(github);
    client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization("octo"))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(9)).build();
    fleet = new RunnerFleet(client, launcher, options());
  }

  FleetOptions options() {
    return FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(17))
        .withListener(events::add);
  }

  List<FakeRunner> registrations() {
    return github.runners(SCOPE);
  }

  FleetRequest.Builder request() {
    return FleetRequest.builder(OWNER).prefix("dev");
  }

  @Override
  public void close() {
    github.close();
  }
}
