package io.oneshot.scaleset.internal;

import io.oneshot.github.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** Reads the {@code exp} claim of a JWT without verifying it (the client only needs to know when to refresh). */
public final class Jwts {
  private Jwts() {}

  /** The expiry, empty when the token is not a JWT or has no numeric {@code exp}. */
  public static Optional<Instant> expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      return Optional.ofNullable(Json.MAPPER.readTree(payload)).map(node -> node.get("exp"))
          .filter(exp -> exp.isNumber()).map(exp -> Instant.ofEpochSecond(exp.asLong()));
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
