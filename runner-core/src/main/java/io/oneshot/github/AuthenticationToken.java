package io.oneshot.github;

import java.time.Instant;
import java.util.Objects;

/** A registration or remove token with its expiry. A secret: {@code toString()} hides it. */
public record AuthenticationToken(String token, Instant expiresAt) {
  public AuthenticationToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "AuthenticationToken[token=***, expiresAt=" + expiresAt + "]";
  }
}
