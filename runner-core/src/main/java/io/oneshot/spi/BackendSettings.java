package io.oneshot.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The backend's settings as named strings (the action's inputs and the CLI's options, for example
 * {@code cluster} or {@code subnets-tag}), plus the clock the backend should use. Providers validate
 * them all at once in {@link RunnerLauncherProvider#create}.
 *
 * @param values setting name to value; blank values count as unset
 * @param clock the clock to use for timestamps and expiry
 */
public record BackendSettings(Map<String, String> values, Clock clock) {

  public BackendSettings {
    TreeMap<String, String> nonBlank = new TreeMap<>();
    values.forEach((key, value) -> {
      if (value != null && !value.isBlank()) {
        nonBlank.put(key, value.trim());
      }
    });
    values = java.util.Collections.unmodifiableMap(nonBlank);
    Objects.requireNonNull(clock, "clock");
  }

  /** Settings with the system clock. */
  public static BackendSettings of(Map<String, String> values) {
    return new BackendSettings(values, Clock.systemUTC());
  }

  /** The value of a setting, empty when unset or blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The value of a setting or a default. */
  public String getOrDefault(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }
}
