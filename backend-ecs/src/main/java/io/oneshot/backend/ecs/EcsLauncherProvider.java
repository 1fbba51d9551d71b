package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code ecs} backend for {@link java.util.ServiceLoader}: turns the named string settings into
 * {@link EcsSettings} (or, for stop, sweep and status, an {@link EcsScope}) and builds the launcher with
 * {@link EcsRunnerLauncher#builder()}, whose clients use the SDK's default credential and region chains and
 * its {@code AWS_ENDPOINT_URL*} variables unless {@code region} or {@code endpoint} is set. Embedding code that
 * has its own clients uses the builder directly. Blocks during {@code create}; stateless otherwise.
 */
public final class EcsLauncherProvider implements RunnerLauncherProvider {
  private final UnaryOperator<EcsRunnerLauncher.Builder> clients;

  /** The provider {@link java.util.ServiceLoader} creates: the SDK's own clients. Does not block. */
  public EcsLauncherProvider() {
    this(builder -> builder);
  }

  /**
   * The same string-settings adapter with the caller's own clients or credentials: {@code clients} adds them to
   * each launcher's builder, for example {@code b -> b.ecsClient(myEcs).ec2HttpClient(myHttp)} (a sandbox, a proxy, a
   * role of its own). The launcher never closes clients passed in. Does not block.
   */
  public EcsLauncherProvider(UnaryOperator<EcsRunnerLauncher.Builder> clients) {
    this.clients = java.util.Objects.requireNonNull(clients, "clients");
  }

  /** {@code ecs}. Does not block. */
  @Override
  public String id() {
    return EcsRunnerLauncher.ID;
  }

  /** The ECS settings, declared once. Does not block; the same list every call. */
  @Override
  public List<SettingDefinition> settings() {
    return EcsSettings.DEFINITIONS;
  }

  /**
   * Checks every setting the purpose needs at once, then builds the launcher as
   * {@link EcsRunnerLauncher.Builder#build()} does (read-only lookups for START, none for MANAGE). Blocks;
   * creates nothing.
   */
  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    EcsRunnerLauncher.Builder builder = EcsRunnerLauncher.builder().clock(backendSettings.clock())
        .purpose(backendSettings.purpose());
    if (backendSettings.purpose() == LauncherPurpose.MANAGE) {
      SettingProblems problems = new SettingProblems();
      EcsScope scope = EcsScope.read(backendSettings, problems);
      problems.throwIfAny();
      return clients.apply(builder.scope(scope)).build();
    }
    return clients.apply(builder.settings(EcsSettings.parse(backendSettings))
        .taskDefinitionFromName(EcsSettings.taskDefinitionIsDefaulted(backendSettings))).build();
  }
}
