package io.oneshot.core;

import java.util.Random;

/**
 * Makes batch labels ({@code <prefix>-<16 random [a-z0-9]>}) and runner names
 * ({@code <prefix>-<8 random>}). Thread-safe; seed the {@link Random} for repeatable tests.
 */
public final class NameGenerator {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  /** Random characters in a batch label: long enough that no other job guesses or collides with it. */
  public static final int BATCH_SUFFIX = 16;
  /** Random characters in a runner name. */
  public static final int RUNNER_SUFFIX = 8;

  private final Random random;

  public NameGenerator(Random random) {
    this.random = random;
  }

  /** A new batch label. */
  public String batchLabel(String prefix) {
    return prefix + "-" + suffix(BATCH_SUFFIX);
  }

  /** A new runner name. */
  public String runnerName(String prefix) {
    return prefix + "-" + suffix(RUNNER_SUFFIX);
  }

  /** Whether a name looks like one this generator made for that prefix with that many random characters. */
  public static boolean matches(String name, String prefix, int suffixLength) {
    if (name.length() != prefix.length() + 1 + suffixLength || !name.regionMatches(true, 0, prefix, 0, prefix.length())
        || name.charAt(prefix.length()) != '-') {
      return false;
    }
    return name.substring(prefix.length() + 1).chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
  }

  private String suffix(int length) {
    StringBuilder text = new StringBuilder(length);
    synchronized (random) {
      for (int i = 0; i < length; i++) {
        text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return text.toString();
  }
}
