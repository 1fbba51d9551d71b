package io.oneshot.spi;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tag names oneshot puts on every resource it creates, and the rule that keeps their values
 * valid on every cloud (GCP labels allow only {@code [a-z0-9_-]}, at most 63 characters).
 */
public final class OwnershipTags {
  /** Who launched it; the sweep touches nothing without this tag or with another value. */
  public static final String OWNER = "oneshot-owner";
  /** The batch label the runner carries. */
  public static final String LABEL = "oneshot-label";
  /** The runner's name. */
  public static final String RUNNER = "oneshot-runner";
  /** The runner's id in GitHub. */
  public static final String GITHUB_ID = "oneshot-github-id";
  /** Epoch second after which the sweep stops the container. */
  public static final String EXPIRES = "oneshot-expires";
  /** The GitHub Actions workflow run ({@code GITHUB_RUN_ID}) that started it, when one did. */
  public static final String RUN = "oneshot-run";

  /** The longest tag value every cloud accepts. */
  public static final int MAX_VALUE_LENGTH = 63;

  private static final Pattern SAFE = Pattern.compile("[a-z0-9_-]{1,63}");
  private static final Pattern UNSAFE_RUN = Pattern.compile("[^a-z0-9_-]+");

  private OwnershipTags() {}

  /** Whether a value is usable as a tag or label value on every cloud. */
  public static boolean isSafe(String value) {
    return SAFE.matcher(value).matches();
  }

  /**
   * Turns any text into a safe value: lower case, runs of other characters to {@code -}, cut to 63.
   * Idempotent: a safe value is returned unchanged.
   */
  public static String safeValue(String text) {
    String lowered = UNSAFE_RUN.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("-");
    String trimmed = lowered.replaceAll("^-+|-+$", "");
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' has no character usable in a tag value ([a-z0-9_-])");
    }
    return trimmed.length() > MAX_VALUE_LENGTH ? trimmed.substring(0, MAX_VALUE_LENGTH) : trimmed;
  }
}
