package io.oneshot.fakes.github;

import io.oneshot.fakes.github.internal.JitCodec;

/** Reads encoded JIT configs issued by a {@link FakeGitHub}. Stateless, thread-safe. */
public final class JitConfigs {
  private JitConfigs() {}

  /**
   * Decodes the non-secret part of an encoded JIT config (base64 JSON whose {@code .runner} member is
   * base64 JSON). Does not check that the fake issued it, nor mark it used.
   *
   * @throws IllegalArgumentException if it is not a JIT config of the shape the fake issues (the message
   *     never contains the config)
   */
  public static DecodedJitConfig decode(String encoded) {
    return JitCodec.decode(encoded);
  }
}
