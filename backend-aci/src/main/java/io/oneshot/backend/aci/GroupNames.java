package io.oneshot.backend.aci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Container group names from runner names. ACI takes 1–63 lower-case letters, digits and single
 * hyphens, not at either end; runner names ({@code <prefix>-<8 random>}) may carry upper case, dots or
 * underscores. A valid runner name is used as it is; any other is lower-cased, its other characters
 * turned into single hyphens, cut to fit, and given a suffix of 8 hex digits of its SHA-256, so two
 * runner names never share a group name (up to hash collisions). Deterministic, so launching again
 * finds the same group. Stateless.
 */
final class GroupNames {
  /** ACI's rule for a container group name. */
  static final Pattern VALID = Pattern.compile("(?=.{1,63}$)[a-z0-9]+(-[a-z0-9]+)*");
  private static final int HASH_CHARS = 8;

  private GroupNames() {}

  /** The container group name for this runner. */
  static String forRunner(String runnerName) {
    if (VALID.matcher(runnerName).matches()) {
      return runnerName;
    }
    String base = runnerName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    int room = 63 - 1 - HASH_CHARS;
    if (base.length() > room) {
      base = base.substring(0, room).replaceAll("-+$", "");
    }
    String hash = HexFormat.of().formatHex(sha256(runnerName)).substring(0, HASH_CHARS);
    return base.isEmpty() ? "runner-" + hash : base + "-" + hash;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
