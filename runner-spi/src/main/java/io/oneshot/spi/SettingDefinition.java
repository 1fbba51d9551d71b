package io.oneshot.spi;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One setting a backend reads, declared once by its {@link RunnerLauncherProvider#settings()}: the
 * action's inputs, the CLI's options and the README's tables are generated from or checked against
 * these declarations. Values only.
 *
 * @param name the setting's name, lower case with hyphens ({@code subnets-tag}); also the action input
 *     and the CLI option ({@code --subnets-tag})
 * @param defaultValue the default as the user reads it ({@code default}, {@code FARGATE}), empty when
 *     there is none or it is derived (then the description says from what)
 * @param description one line for {@code action.yml} and {@code --help}
 * @param secret whether the value is a secret: masked first in Actions mode, never a CLI option (the
 *     CLI reads it from the environment)
 * @param purposes what the setting is read for; a {@link LauncherPurpose#MANAGE} launcher ignores the
 *     settings that only {@link LauncherPurpose#START} needs
 * @param exposure whether users set it as an input and option, or only the library (tests, sandboxes)
 */
public record SettingDefinition(String name, Optional<String> defaultValue, String description, boolean secret,
    Set<LauncherPurpose> purposes, Exposure exposure) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /** Who sets a setting. */
  public enum Exposure {
    /** An action input and a CLI option. */
    INPUT,
    /** Only through {@link BackendSettings} from code: endpoints of local fakes and sandboxes. */
    LIBRARY
  }

  public SettingDefinition {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("setting name '" + name + "' is not lower case words joined by '-'");
    }
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
    if (description.isBlank() || description.contains("\n")) {
      throw new IllegalArgumentException("setting " + name + " needs a one-line description");
    }
    purposes = purposes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(purposes));
    if (purposes.isEmpty()) {
      throw new IllegalArgumentException("setting " + name + " must be read for at least one purpose");
    }
    Objects.requireNonNull(exposure, "exposure");
  }

  /** A setting only {@code start} reads. */
  public static SettingDefinition forStart(String name, String defaultValue, String description) {
    return new SettingDefinition(name, Optional.ofNullable(defaultValue), description, false,
        Set.of(LauncherPurpose.START), Exposure.INPUT);
  }

  /** A setting that identifies the cloud scope: read by every mode. */
  public static SettingDefinition forEveryMode(String name, String defaultValue, String description) {
    return new SettingDefinition(name, Optional.ofNullable(defaultValue), description, false,
        Set.of(LauncherPurpose.START, LauncherPurpose.MANAGE), Exposure.INPUT);
  }

  /** This setting as a secret. */
  public SettingDefinition asSecret() {
    return new SettingDefinition(name, defaultValue, description, true, purposes, exposure);
  }

  /** This setting as one only code sets (not an action input or CLI option). */
  public SettingDefinition libraryOnly() {
    return new SettingDefinition(name, defaultValue, description, secret, purposes, Exposure.LIBRARY);
  }

  /** Whether a launcher created for that purpose reads it. */
  public boolean readFor(LauncherPurpose purpose) {
    return purposes.contains(purpose);
  }

  /** Whether users set it as an action input and CLI option. */
  public boolean isInput() {
    return exposure == Exposure.INPUT;
  }
}
