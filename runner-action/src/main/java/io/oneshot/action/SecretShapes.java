package io.oneshot.action;

import java.util.regex.Pattern;

/**
 * Tells values that look like secrets (a GitHub token, a PEM block, a long random string), so that an
 * error about an input never echoes one that was pasted into the wrong input. Pure functions.
 */
final class SecretShapes {
  private static final Pattern GITHUB_TOKEN = Pattern.compile("(gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}.*",
      Pattern.DOTALL);
  private static final Pattern LONG_RANDOM = Pattern.compile("[A-Za-z0-9+/=_]{40,}");

  private SecretShapes() {}

  /** Whether the value looks like a credential rather than a name, number or duration. */
  static boolean looksSecret(String value) {
    String trimmed = value.trim();
    return trimmed.contains("-----BEGIN") || trimmed.contains("PRIVATE KEY") || GITHUB_TOKEN.matcher(trimmed).matches()
        || (LONG_RANDOM.matcher(trimmed).matches() && trimmed.chars().anyMatch(Character::isDigit)
            && trimmed.chars().anyMatch(Character::isUpperCase) && trimmed.chars().anyMatch(Character::isLowerCase));
  }

  /** The value quoted for an error message, or a note in its place when it looks like a secret. */
  static String quote(String value) {
    return looksSecret(value) ? "(a value that looks like a secret, not shown)" : "'" + value + "'";
  }
}
