package io.oneshot.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tag names oneshot puts on every resource it creates, and the rule that keeps their values
 * valid on every cloud (GCP labels allow only {@code [a-z0-9_-]}, at most 63 characters).
 */
public final class OwnershipTags {
  /**
   * Who launched it: the owner identity (GitHub scope, backend and the backend's scope, see
   * {@link RunnerLauncher#scopeKey()}) as a {@link #uniqueValue}; the sweep touches nothing without this
   * tag or with another value.
   */
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

  /** Hex digits of SHA-256 that {@link #uniqueValue} appends when it had to change the text. */
  public static final int HASH_CHARS = 10;

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

  /**
   * Turns an exact identity into a safe value that no other identity gets: the identity itself when it
   * is already safe, else its {@link #safeValue} cut to leave room for {@code -} and the first
   * {@value #HASH_CHARS} hex digits of the SHA-256 of the exact identity. So {@code a.b} and {@code a-b},
   * or two long identities sharing their first 63 characters, get different values (up to a 40-bit hash
   * collision). Pure, idempotent on safe values.
   */
  public static String uniqueValue(String identity) {
    if (isSafe(identity)) {
      return identity;
    }
    String readable;
    try {
      readable = safeValue(identity);
    } catch (IllegalArgumentException e) {
      readable = "";
    }
    int room = MAX_VALUE_LENGTH - 1 - HASH_CHARS;
    if (readable.length() > room) {
      readable = readable.substring(0, room).replaceAll("-+$", "");
    }
    String hash = HexFormat.of().formatHex(sha256(identity)).substring(0, HASH_CHARS);
    return readable.isEmpty() ? hash : readable + "-" + hash;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
