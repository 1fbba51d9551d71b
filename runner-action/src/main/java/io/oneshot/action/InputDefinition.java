package io.oneshot.action;

import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One input of the action (and the CLI option of the same name): a common input, or a backend
 * setting as the backends' providers declare it. Values only.
 *
 * @param name the input name, lower case with hyphens, for example {@code subnets-tag}
 * @param defaultValue the default, empty when there is none or it is derived (the description says how)
 * @param secret whether the value is a secret: masked first in Actions mode, never a CLI option
 * @param backends the backends that read it ({@code ecs}, {@code cloudrun}, {@code aci}), sorted; empty for
 *     common inputs
 * @param modes the modes that read it; other modes ignore it in the action and do not offer it as an option
 * @param description one line for {@code action.yml} and {@code --help}
 */
public record InputDefinition(String name, Optional<String> defaultValue, boolean secret, Set<String> backends,
    Set<Mode> modes, String description) {
  public InputDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
    backends = Collections.unmodifiableSortedSet(new TreeSet<>(backends));
    modes = Collections.unmodifiableSet(modes.isEmpty() ? EnumSet.noneOf(Mode.class) : EnumSet.copyOf(modes));
    Objects.requireNonNull(description, "description");
  }

  /** A backend setting as one backend declares it. */
  static InputDefinition of(String backend, SettingDefinition setting) {
    Set<Mode> modes = EnumSet.noneOf(Mode.class);
    if (setting.readFor(LauncherPurpose.START)) {
      modes.add(Mode.START);
    }
    if (setting.readFor(LauncherPurpose.MANAGE)) {
      modes.addAll(Set.of(Mode.STOP, Mode.SWEEP, Mode.STATUS));
    }
    return new InputDefinition(setting.name(), setting.defaultValue(), setting.secret(), Set.of(backend), modes,
        setting.description());
  }

  /** The environment variable a Docker action receives it in: upper case, hyphens kept. */
  public String environmentName() {
    return "INPUT_" + name.toUpperCase(Locale.ROOT);
  }

  /** Whether it is a backend's setting rather than a common input. */
  public boolean isBackendSetting() {
    return !backends.isEmpty();
  }

  /** Whether it takes true or false: a flag on the command line. */
  public boolean isBoolean() {
    return defaultValue.filter(value -> value.equals("true") || value.equals("false")).isPresent();
  }

  /** Whether that mode reads it. */
  public boolean readIn(Mode mode) {
    return modes.contains(mode);
  }
}
