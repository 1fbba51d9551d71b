package io.oneshot.spi;

/**
 * A backend, found through {@link java.util.ServiceLoader} ({@code META-INF/services}) and selected by
 * {@link #id()}. Implementations need a public no-argument constructor.
 */
public interface RunnerLauncherProvider {

  /** The backend's id, for example {@code ecs}, {@code cloudrun} or {@code aci}. Does not block. */
  String id();

  /**
   * Validates every setting up front, reporting all problems together in one
   * {@link InvalidSettingsException}, then builds the launcher. May block to build SDK clients; makes
   * no call that creates anything.
   */
  RunnerLauncher create(BackendSettings settings);
}
