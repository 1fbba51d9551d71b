package io.oneshot.github;

import java.net.URI;
import java.util.Objects;

/**
 * What GitHub's runner-registration exchange returns: the base URL of the Actions service for this scope
 * (opaque; paths are joined onto it) and an admin token (a JWT) for it. A secret: {@code toString()}
 * hides the token.
 */
public record ActionsServiceGrant(URI url, String token) {
  public ActionsServiceGrant {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(token, "token");
  }

  @Override
  public String toString() {
    return "ActionsServiceGrant[url=" + url + ", token=***]";
  }
}
