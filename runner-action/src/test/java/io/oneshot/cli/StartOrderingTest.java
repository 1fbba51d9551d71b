package io.oneshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oneshot.action.CancelSignal;
import io.oneshot.core.FleetOptions;
import io.oneshot.fakes.github.RecordedCall;
import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher is created on a thread of its own while the GitHub client is built; a backend setting its create
 * refuses still fails the step as an input error before anything calls GitHub.
 */
class StartOrderingTest {
  @TempDir
  Path directory;

  /** The ECS provider, with a create that waits (at most 300 ms) for GitHub to mint a JIT config, which it must not. */
  private static final class WaitingForJit implements RunnerLauncherProvider {
    private final RunnerLauncherProvider ecs;
    private final ActionFixture action;
    private final boolean fail;
    final AtomicBoolean sawJit = new AtomicBoolean();

    WaitingForJit(RunnerLauncherProvider ecs, ActionFixture action, boolean fail) {
      this.ecs = ecs;
      this.action = action;
      this.fail = fail;
    }

    @Override
    public String id() {
      return ecs.id();
    }

    @Override
    public List<SettingDefinition> settings() {
      return ecs.settings();
    }

    @Override
    public RunnerLauncher create(BackendSettings settings) {
      long until = System.nanoTime() + 300_000_000L;
      while (System.nanoTime() < until && !sawJit.get()) {
        sawJit.set(action.github.calls().stream().map(RecordedCall::operationId)
            .anyMatch(op -> op != null && op.contains("generate-runner-jitconfig")));
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (fail) {
        throw InvalidSettingsException.of("task-definition", "task-definition 'oneshot' is not there (test)");
      }
      return ecs.create(settings);
    }
  }

  private int run(ActionFixture action, WaitingForJit provider, List<String> printed) {
    List<RunnerLauncherProvider> backends = new ArrayList<>(SandboxBackends.ecs(action.ecs));
    backends.set(0, provider);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = OneshotCli.run(new String[0], action.environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        FleetOptions.defaults().withClock(action.clock, action.clock.sleeper()).withRandom(action.random), backends,
        new CancelSignal());
    printed.add(out.toString(StandardCharsets.UTF_8));
    printed.add(err.toString(StandardCharsets.UTF_8));
    return code;
  }

  @Test
  void aLauncherThatCannotBeCreatedIsStillAnInputErrorAndLeavesNoRegistration() {
    try (ActionFixture action = new ActionFixture(directory)) {
      WaitingForJit provider = new WaitingForJit(SandboxBackends.ecs(action.ecs).get(0), action, true);
      List<String> printed = new ArrayList<>();

      int code = run(action, provider, printed);

      assertThat(code).isEqualTo(1);
      assertThat(printed.get(0)).contains("::error title=oneshot input task-definition");
      assertThat(provider.sawJit).isFalse();
      assertThat(action.github.callCount()).isZero();
      assertThat(action.ecs.tasks()).isEmpty();
    }
  }
}
