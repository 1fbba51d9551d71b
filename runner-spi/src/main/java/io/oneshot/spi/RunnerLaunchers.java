package io.oneshot.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds backend providers on the class path by id. Scans on each call (providers are few); does not
 * block beyond class loading.
 */
public final class RunnerLaunchers {
  private RunnerLaunchers() {}

  /** The provider with that id from the thread's context class loader. */
  public static RunnerLauncherProvider provider(String id) {
    return provider(id, Thread.currentThread().getContextClassLoader());
  }

  /**
   * The provider with that id.
   *
   * @throws InvalidSettingsException when no provider has that id (the message lists the ids found),
   *     or when two providers claim the same id
   */
  public static RunnerLauncherProvider provider(String id, ClassLoader classLoader) {
    Map<String, RunnerLauncherProvider> byId = all(classLoader);
    RunnerLauncherProvider found = byId.get(id);
    if (found == null) {
      throw new InvalidSettingsException("backend '" + id + "' is not available; backends on the class path: "
          + (byId.isEmpty() ? "(none)" : String.join(", ", byId.keySet())));
    }
    return found;
  }

  /** The ids of every provider on the class path, sorted. */
  public static Set<String> ids(ClassLoader classLoader) {
    return all(classLoader).keySet();
  }

  /**
   * Every provider on the class path by id, sorted by id.
   *
   * @throws InvalidSettingsException when two providers claim the same id
   */
  public static Map<String, RunnerLauncherProvider> all(ClassLoader classLoader) {
    Map<String, RunnerLauncherProvider> byId = new TreeMap<>();
    for (RunnerLauncherProvider provider : ServiceLoader.load(RunnerLauncherProvider.class, classLoader)) {
      RunnerLauncherProvider previous = byId.putIfAbsent(provider.id(), provider);
      if (previous != null) {
        throw new InvalidSettingsException("two backends claim the id '" + provider.id() + "': "
            + previous.getClass().getName() + " and " + provider.getClass().getName()
            + "; remove one of them from the class path");
      }
    }
    return java.util.Collections.unmodifiableMap(byId);
  }
}
