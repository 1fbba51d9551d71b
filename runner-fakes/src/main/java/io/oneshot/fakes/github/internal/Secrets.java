package io.oneshot.fakes.github.internal;

import java.util.Base64;
import java.util.Random;

/**
 * Generates the fake's tokens and ids from a seeded {@link Random}, so a run is reproducible. The values
 * are not cryptographically strong: this is test infrastructure. Thread-safe (synchronised).
 */
public final class Secrets {
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String HEX = "0123456789ABCDEF";

  private final Random random;

  public Secrets(long seed) {
    this.random = new Random(seed);
  }

  /** A classic personal access token: {@code ghp_} and 36 letters or digits. */
  public synchronized String personalAccessToken() {
    return "ghp_" + chars(ALNUM, 36);
  }

  /** An installation token: {@code ghs_} and 36 letters or digits (clients must not rely on the length). */
  public synchronized String installationToken() {
    return "ghs_" + chars(ALNUM, 36);
  }

  /** A registration or remove token, like {@code LLBF3JGZDX3P5PMEXLND6TS6FCWO6}. */
  public synchronized String runnerToken() {
    return chars(UPPER_ALNUM, 29);
  }

  /** A request id like {@code C0DE:1234:ABCDEF:123456:67890ABC}. */
  public synchronized String requestId() {
    return chars(HEX, 4) + ":" + chars(HEX, 4) + ":" + chars(HEX, 6) + ":" + chars(HEX, 6) + ":"
        + chars(HEX, 8);
  }

  /** {@code length} random bytes, base64-encoded. */
  public synchronized String base64(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A random UUID-shaped string. */
  public synchronized String uuid() {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  private String chars(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
