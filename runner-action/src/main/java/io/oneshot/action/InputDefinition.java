package io.oneshot.action;

import java.util.Objects;
import java.util.Optional;

/**
 * One input of the action (and the CLI option of the same name).
 *
 * @param name the input name, lower case with hyphens, for example {@code subnets-tag}
 * @param defaultValue the default, empty when there is none
 * @param secret whether the value is a secret: masked first in Actions mode, never a CLI option
 * @param backend the backend it belongs to ({@code ecs}, {@code cloudrun}, {@code aci}), empty for common inputs
 * @param description one line for {@code action.yml} and {@code --help}
 */
public record InputDefinition(String name, Optional<String> defaultValue, boolean secret, Optional<String> backend,
    String description) {
  public InputDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(description, "description");
  }

  /** The environment variable a Docker action receives it in: upper case, hyphens kept. */
  public String environmentName() {
    return "INPUT_" + name.toUpperCase(java.util.Locale.ROOT);
  }
}
