package io.oneshot.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OneshotException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Mints GitHub App installation tokens: signs an RS256 JWT ({@code iat} 60 s back, {@code exp} 9
 * minutes ahead, a unique {@code jti}), finds the installation from the repository or organization
 * unless given, and caches the token until one minute before it expires. Blocks while it calls
 * GitHub; thread-safe (one mint at a time).
 */
public final class AppTokenSource {
  static final Duration IAT_BACKDATE = Duration.ofSeconds(60);
  static final Duration JWT_LIFETIME = Duration.ofMinutes(10);
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(1);

  private final GitHubCredentials.App app;
  private final GitHubScope scope;
  private final Clock clock;
  private final Consumer<String> onSecret;
  private Long installationId;
  private String token;
  private Instant tokenExpiresAt = Instant.MIN;

  public AppTokenSource(GitHubCredentials.App app, GitHubScope scope, Clock clock, Consumer<String> onSecret) {
    if (scope instanceof GitHubScope.Enterprise) {
      throw new InvalidSettingsException("app-id cannot be used with enterprise: GitHub Apps cannot manage"
          + " enterprise runners; use token with a classic token that has manage_runners:enterprise");
    }
    this.app = app;
    this.scope = scope;
    this.clock = clock;
    this.onSecret = onSecret;
    this.installationId = app.installationId().isPresent() ? app.installationId().getAsLong() : null;
  }

  /** The {@code Authorization} header for API calls: a cached or freshly minted installation token. */
  public synchronized String authorization(GitHubHttp http) {
    if (token == null || !clock.instant().isBefore(tokenExpiresAt.minus(REFRESH_MARGIN))) {
      mint(http);
    }
    return "Bearer " + token;
  }

  private void mint(GitHubHttp http) {
    if (installationId == null) {
      ApiResponse found = http.send(ApiCall.get(scope.apiPath() + "/installation", "app-installation-lookup"),
          this::jwtAuthorization);
      JsonNode installation = Json.parse(found, "app-installation-lookup");
      installationId = Json.required(installation, "id", found, "app-installation-lookup").asLong();
    }
    ApiResponse minted = http.send(ApiCall.post("app/installations/" + installationId + "/access_tokens",
        Optional.empty(), "app-installation-token"), this::jwtAuthorization);
    JsonNode body = Json.parse(minted, "app-installation-token");
    String fresh = Json.required(body, "token", minted, "app-installation-token").asText();
    onSecret.accept(fresh);
    token = fresh;
    tokenExpiresAt = parseExpiry(Json.required(body, "expires_at", minted, "app-installation-token").asText());
  }

  /** A freshly signed App JWT, as an {@code Authorization} header value. */
  String jwtAuthorization() {
    Instant now = clock.instant();
    Instant issuedAt = now.minus(IAT_BACKDATE);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(Long.toString(app.appId()))
        .issueTime(Date.from(issuedAt))
        .expirationTime(Date.from(issuedAt.plus(JWT_LIFETIME)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(app.privateKey()));
    } catch (JOSEException e) {
      throw new OneshotException("could not sign the GitHub App JWT with app-private-key ("
          + e.getClass().getSimpleName() + ")", false);
    }
    return "Bearer " + jwt.serialize();
  }

  private Instant parseExpiry(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // Unparseable expiry: treat the token as good for ten minutes rather than failing the run.
      return clock.instant().plus(Duration.ofMinutes(10));
    }
  }
}
