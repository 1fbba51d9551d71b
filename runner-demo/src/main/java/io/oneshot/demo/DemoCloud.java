package io.oneshot.demo;

import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.fakes.github.FakeGitHub;
import io.oneshot.fakes.github.SimulatedRunner;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake cloud the demo runs against: its inputs, its endpoint settings, and a look at its containers. */
interface DemoCloud extends AutoCloseable {
  /** The backend id. */
  String backend();

  /** Where the fake listens, for the banner. */
  String describe();

  /** The action inputs for this backend (what a user would put under {@code with:}). */
  Map<String, String> inputs();

  /**
   * The backend's provider with clients pointed at the fake: the real provider, given its own SDK clients
   * through the constructor every provider offers for that ({@code new EcsLauncherProvider(b -> b.ecsClient(..))}).
   */
  RunnerLauncherProvider provider();

  /** The containers started, oldest first. */
  List<String> containers();

  /** The simulated runner in a container, once it runs. */
  Optional<SimulatedRunner> runner(String container);

  /** How many containers are still running (after bringing the fake up to the clock). */
  long running();

  @Override
  void close();

  /** The fake for a backend id, on the fake GitHub's clock; empty for a backend without a demo. */
  static Optional<DemoCloud> forBackend(String backend, FakeGitHub github) {
    switch (backend) {
      case "ecs":
        return Optional.of(new EcsDemoCloud(github));
      case "cloudrun":
        return Optional.of(new CloudRunDemoCloud(github));
      case "aci":
        return Optional.of(new AciDemoCloud(github));
      default:
        return Optional.empty();
    }
  }
}
