package io.oneshot.backend.ecs;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code key:value} tag selector, as the {@code subnets-tag} and {@code security-groups-tag} inputs
 * take it. The value may contain colons; the key may not be empty.
 */
public record TagFilter(String key, String value) {
  public TagFilter {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** Parses {@code key:value}; empty when the text has no colon or an empty key or value. */
  public static Optional<TagFilter> parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new TagFilter(text.substring(0, colon).trim(), text.substring(colon + 1).trim()));
  }

  @Override
  public String toString() {
    return key + ":" + value;
  }
}
