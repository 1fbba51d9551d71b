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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Mints GitHub App installation tokens: signs an RS256 JWT ({@code iat} 60 s back, {@code exp} 9
 * minutes ahead, a unique {@code jti}), finds the installation from the repository or organization
 * unless given, and caches the token until one minute before it expires. Blocks while it calls
 * GitHub; thread-safe (one mint at a time, and no lock held while minting).
 */
public final class AppTokenSource {
  static final Duration IAT_BACKDATE = Duration.ofSeconds(60);
  static final Duration JWT_LIFETIME = Duration.ofMinutes(10);
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(1);

  private final GitHubCredentials.App app;
  private final GitHubScope scope;
  private final Clock clock;
  private final Consumer<String> onSecret;
  private volatile Long installationId;
  private final Object lock = new Object();
  /** The last token minted; guarded by {@link #lock}. */
  private Minted current;
  /** The mint in progress, if any; guarded by {@link #lock}. */
  private CompletableFuture<Minted> minting;

  private record Minted(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Minted[***, expiresAt=" + expiresAt + "]";
    }
  }

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

  /**
   * The {@code Authorization} header for API calls: a cached or freshly minted installation token. One
   * thread mints at a time, and no lock is held while it does (a mint may wait out a rate limit): other
   * threads keep using the current token while it is still valid, and only a thread with no valid token
   * waits for the mint in progress.
   */
  public String authorization(GitHubHttp http) {
    CompletableFuture<Minted> pending;
    boolean mine = false;
    synchronized (lock) {
      Instant now = clock.instant();
      if (current != null && now.isBefore(current.expiresAt().minus(REFRESH_MARGIN))) {
        return "Bearer " + current.token();
      }
      if (minting == null) {
        minting = new CompletableFuture<>();
        mine = true;
      } else if (current != null && now.isBefore(current.expiresAt())) {
        return "Bearer " + current.token(); // another thread is refreshing; this one is still good
      }
      pending = minting;
    }
    if (!mine) {
      try {
        return "Bearer " + pending.join().token();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    try {
      Minted fresh = mint(http);
      synchronized (lock) {
        current = fresh;
        minting = null;
      }
      pending.complete(fresh);
      return "Bearer " + fresh.token();
    } catch (RuntimeException e) {
      synchronized (lock) {
        minting = null;
      }
      pending.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Forgets the token GitHub refused (401: revoked, or expired early) so the next
   * {@link #authorization} mints a new one; a no-op when another thread already replaced it.
   *
   * @param authorization the header value the refused call was sent with
   */
  public void invalidate(String authorization) {
    synchronized (lock) {
      if (current != null && authorization.equals("Bearer " + current.token())) {
        current = null;
      }
    }
  }

  private Minted mint(GitHubHttp http) {
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
    return new Minted(fresh,
        parseExpiry(Json.required(body, "expires_at", minted, "app-installation-token").asText()));
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
