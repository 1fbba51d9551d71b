package io.oneshot.spi;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The backend's settings as named strings (the action's inputs and the CLI's options, for example
 * {@code cluster} or {@code subnets-tag}), the clock the backend should use, and what the launcher is
 * for. Providers validate them all at once in {@link RunnerLauncherProvider#create}. Values only;
 * {@code toString()} shows the names, never the values (some are secrets).
 *
 * @param values setting name to value; blank values count as unset
 * @param clock the clock to use for timestamps and expiry
 * @param purpose what the launcher is created for: a {@link LauncherPurpose#MANAGE} launcher needs
 *     only the settings that identify the cloud scope
 */
public record BackendSettings(Map<String, String> values, Clock clock, LauncherPurpose purpose) {

  public BackendSettings {
    TreeMap<String, String> nonBlank = new TreeMap<>();
    values.forEach((key, value) -> {
      if (value != null && !value.isBlank()) {
        nonBlank.put(key, value.trim());
      }
    });
    values = Collections.unmodifiableMap(nonBlank);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(purpose, "purpose");
  }

  /** Settings for launching ({@link LauncherPurpose#START}). */
  public BackendSettings(Map<String, String> values, Clock clock) {
    this(values, clock, LauncherPurpose.START);
  }

  /** Settings for launching, with the system clock. */
  public static BackendSettings of(Map<String, String> values) {
    return new BackendSettings(values, Clock.systemUTC());
  }

  /** The same settings for another purpose. */
  public BackendSettings forPurpose(LauncherPurpose newPurpose) {
    return new BackendSettings(values, clock, newPurpose);
  }

  /** The value of a setting, empty when unset or blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /**
   * A list setting (subnet ids, capacity providers, zones...): the value split on commas and white space,
   * empty entries dropped; empty when unset.
   */
  public List<String> list(String name) {
    return get(name).map(text -> Arrays.stream(text.split("[,\\s]+")).filter(item -> !item.isEmpty()).toList())
        .orElse(List.of());
  }

  /** The value of a setting or a default. */
  public String getOrDefault(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  @Override
  public String toString() {
    return "BackendSettings[names=" + values.keySet() + ", purpose=" + purpose + "]";
  }
}
