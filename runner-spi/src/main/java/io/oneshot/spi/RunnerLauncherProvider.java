package io.oneshot.spi;

import java.util.List;

/**
 * A backend, found through {@link java.util.ServiceLoader} ({@code META-INF/services}) and selected by
 * {@link #id()}. Implementations need a public no-argument constructor.
 */
public interface RunnerLauncherProvider {

  /** The backend's id, for example {@code ecs}, {@code cloudrun} or {@code aci}. Does not block. */
  String id();

  /**
   * Every setting this backend reads, declared once: the action's inputs, the CLI's options and the
   * docs are generated from or checked against this list. Does not block; the same list every call.
   */
  List<SettingDefinition> settings();

  /**
   * Validates every setting that {@link BackendSettings#purpose()} needs up front, reporting all
   * problems together in one {@link InvalidSettingsException} (each tied to its setting's name), then
   * builds the launcher. For {@link LauncherPurpose#START} it may make read-only lookups (task
   * definition, network, job) so that a wrong setting fails before anything is created; for
   * {@link LauncherPurpose#MANAGE} it makes none. May block to build SDK clients; never creates
   * anything.
   */
  RunnerLauncher create(BackendSettings settings);
}
