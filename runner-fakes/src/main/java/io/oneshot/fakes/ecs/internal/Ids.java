package io.oneshot.fakes.ecs.internal;

import java.util.Random;

/** Every identifier the fake makes up, drawn from one seeded random source: deterministic per seed and call order. Thread-safe. */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final Random random;

  public Ids(long seed) {
    this.random = new Random(seed);
  }

  /** {@code n} lowercase hex digits. */
  public synchronized String hex(int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(HEX[random.nextInt(16)]);
    }
    return out.toString();
  }

  /** A UUID-shaped id (request ids, attachment ids). */
  public synchronized String uuid() {
    String h = hex(32);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
        + h.substring(20);
  }

  /** A MAC address as ENIs show it. */
  public synchronized String mac() {
    String h = hex(10);
    return "0e:" + h.substring(0, 2) + ":" + h.substring(2, 4) + ":" + h.substring(4, 6) + ":" + h.substring(6, 8) + ":"
        + h.substring(8, 10);
  }

  /** A number in {@code [from, to]}. */
  public synchronized int between(int from, int to) {
    return from + random.nextInt(to - from + 1);
  }
}
