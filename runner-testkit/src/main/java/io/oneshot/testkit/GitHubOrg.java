package io.oneshot.testkit;

import io.oneshot.fakes.TestClock;
import io.oneshot.core.FleetOptions;
import io.oneshot.core.RunnerFleet;
import io.oneshot.github.GitHubClient;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.FakeRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fake GitHub organization on a test clock with a real {@link GitHubClient} holding a token for it:
 * what backend tests need to mint JIT configs and run fleets. Closing it closes the fake (which fails
 * the test if the fake broke its contract). Not thread-safe to build; the parts are.
 */
public final class GitHubOrg implements AutoCloseable {
  private final String org;
  private final TestClock clock = TestClock.atEpochOfTests();
  private final FakeGitHub github;
  private final GitHubClient client;

  /** An organization named {@code org} in a fake GitHub seeded with {@code seed}. */
  public GitHubOrg(String org, long seed) {
    this.org = org;
    this.github = FakeGitHub.builder().clock(clock).seed(seed).build();
    github.addOrganization(org);
    this.client = GitHubClient.builder().apiUrl(github.apiUrl()).scope(new GitHubScope.Organization(org))
        .credentials(GitHubCredentials.token(github.issueToken())).clock(clock).sleeper(clock.sleeper())
        .random(new Random(seed)).build();
  }

  public TestClock clock() {
    return clock;
  }

  public FakeGitHub github() {
    return github;
  }

  /** The client for the organization's runners. */
  public GitHubClient client() {
    return client;
  }

  /** A fleet on the launcher, on this clock, with names drawn from {@code seed}. */
  public RunnerFleet fleet(RunnerLauncher launcher, long seed) {
    return new RunnerFleet(client, launcher,
        FleetOptions.defaults().withClock(clock, clock.sleeper()).withRandom(new Random(seed)));
  }

  /** Registers a JIT runner in the default group and returns its single-use config. */
  public String jitConfig(String runnerName, List<String> labels) {
    return client.generateJitConfig(new JitConfigRequest(runnerName, 1, labels, "_work")).encodedJitConfig();
  }

  /**
   * What core asks a backend to launch for runner {@code name}: a fresh JIT config of this organization, the
   * owner tag {@code team} and the runner tag, an hour's lifetime, a 10-minute idle timeout, idempotency key
   * {@code <name>-1}.
   */
  public LaunchSpec jitLaunchSpec(String name, List<String> labels, Map<String, String> extraEnv,
      int capacityOption) {
    return new LaunchSpec(name, labels, new RunnerCredential.JitConfig(jitConfig(name, labels)), extraEnv,
        Duration.ofHours(1), Duration.ofMinutes(10),
        Map.of(OwnershipTags.OWNER, "team", OwnershipTags.RUNNER, OwnershipTags.safeValue(name)), name + "-1",
        capacityOption);
  }

  /** The organization's registered runners as the fake sees them. */
  public List<FakeRunner> registrations() {
    return github.runners("orgs/" + org);
  }

  @Override
  public void close() {
    github.close();
  }
}
