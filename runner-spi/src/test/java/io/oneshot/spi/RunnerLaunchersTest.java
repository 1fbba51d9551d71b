package io.oneshot.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerLaunchersTest {
  @TempDir Path dir;

  public static final class AlphaProvider implements RunnerLauncherProvider {
    @Override
    public String id() {
      return "alpha";
    }

    @Override
    public List<SettingDefinition> settings() {
      return List.of();
    }

    @Override
    public RunnerLauncher create(BackendSettings settings) {
      throw new UnsupportedOperationException("not launched in this test");
    }
  }

  public static final class BetaProvider implements RunnerLauncherProvider {
    @Override
    public String id() {
      return "beta";
    }

    @Override
    public List<SettingDefinition> settings() {
      return List.of();
    }

    @Override
    public RunnerLauncher create(BackendSettings settings) {
      throw new UnsupportedOperationException("not launched in this test");
    }
  }

  public static final class AlphaTwinProvider implements RunnerLauncherProvider {
    @Override
    public String id() {
      return "alpha";
    }

    @Override
    public List<SettingDefinition> settings() {
      return List.of();
    }

    @Override
    public RunnerLauncher create(BackendSettings settings) {
      throw new UnsupportedOperationException("not launched in this test");
    }
  }

  private ClassLoader loaderListing(Class<?>... providers) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.write(services.resolve(RunnerLauncherProvider.class.getName()),
        List.of(java.util.Arrays.stream(providers).map(Class::getName).toArray(String[]::new)));
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void findsAProviderById() throws IOException {
    ClassLoader loader = loaderListing(AlphaProvider.class, BetaProvider.class);

    assertThat(RunnerLaunchers.provider("beta", loader)).isInstanceOf(BetaProvider.class);
    assertThat(RunnerLaunchers.ids(loader)).containsExactly("alpha", "beta");
  }

  @Test
  void unknownIdListsTheIdsFound() throws IOException {
    ClassLoader loader = loaderListing(AlphaProvider.class, BetaProvider.class);

    assertThatThrownBy(() -> RunnerLaunchers.provider("ecs", loader))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessage("backend 'ecs' is not available; backends on the class path: alpha, beta");
  }

  @Test
  void noProvidersAtAllSaysNone() throws IOException {
    ClassLoader loader = loaderListing();

    assertThatThrownBy(() -> RunnerLaunchers.provider("ecs", loader)).hasMessageEndingWith("(none)");
  }

  @Test
  void twoProvidersWithOneIdIsAnError() throws IOException {
    ClassLoader loader = loaderListing(AlphaProvider.class, AlphaTwinProvider.class);

    assertThatThrownBy(() -> RunnerLaunchers.provider("beta", loader))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("two backends claim the id 'alpha'")
        .hasMessageContaining(AlphaProvider.class.getName())
        .hasMessageContaining(AlphaTwinProvider.class.getName());
  }
}
