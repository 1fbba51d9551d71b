package io.oneshot.fakes.github.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * Verifies GitHub App JWTs as GitHub does: RS256 signed by the App's key, {@code iss} the App id
 * (string or number), {@code iat} not more than 60 s in the future, {@code exp} in the future and at
 * most 600 s after {@code iat}. Every parseable JWT's claims are recorded (reuse is not rejected,
 * GitHub does not either). Thread-safe.
 */
public final class AppJwtVerifier {
  /** Allowed clock drift for {@code iat}. */
  public static final Duration IAT_SKEW = Duration.ofSeconds(60);
  /** Longest lifetime GitHub accepts. */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

  private static final String UNDECODABLE = "A JSON web token could not be decoded";

  private final GitHubState state;
  private final Clock clock;
  private final List<JWTClaimsSet> received = new ArrayList<>();

  public AppJwtVerifier(GitHubState state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  /** Claims of every JWT received so far, valid or not, in arrival order. */
  public synchronized List<JWTClaimsSet> received() {
    return List.copyOf(received);
  }

  /** The App the JWT authenticates; {@link ApiError} 401 with GitHub's message when it is invalid. */
  public Principal.App verify(String jwt) {
    SignedJWT signed;
    JWTClaimsSet claims;
    try {
      signed = SignedJWT.parse(jwt);
      claims = claims(signed);
    } catch (ParseException | RuntimeException e) {
      throw new ApiError(401, UNDECODABLE);
    }
    synchronized (this) {
      received.add(claims);
    }
    if (!JWSAlgorithm.RS256.equals(signed.getHeader().getAlgorithm())) {
      throw new ApiError(401, UNDECODABLE);
    }
    long appId = issuer(claims.getClaim("iss"))
        .orElseThrow(() -> new ApiError(401, "'Issuer' claim ('iss') must be an Integer"));
    PublicKey key = state.appKey(appId)
        .orElseThrow(() -> new ApiError(401, "Integration not found"));
    try {
      if (!signed.verify(new RSASSAVerifier((RSAPublicKey) key))) {
        throw new ApiError(401, UNDECODABLE);
      }
    } catch (JOSEException e) {
      throw new ApiError(401, UNDECODABLE);
    }
    Date iat = claims.getIssueTime();
    Date exp = claims.getExpirationTime();
    if (iat == null) {
      throw new ApiError(401, "'Issued at' claim ('iat') must be an Integer representing the time that"
          + " the assertion was issued.");
    }
    if (exp == null) {
      throw new ApiError(401, "'Expiration time' claim ('exp') must be a numeric value representing the"
          + " future time at which the assertion expires.");
    }
    Instant now = clock.instant();
    if (iat.toInstant().isAfter(now.plus(IAT_SKEW))) {
      throw new ApiError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the"
          + " past.");
    }
    if (!exp.toInstant().isAfter(now)) {
      throw new ApiError(401, "'Expiration time' claim ('exp') must be a numeric value representing the"
          + " future time at which the assertion expires.");
    }
    if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(MAX_LIFETIME) > 0) {
      throw new ApiError(401, "'Expiration time' claim ('exp') is too far in the future.");
    }
    return new Principal.App(appId);
  }

  /** The claims, with a numeric {@code iss} (which GitHub accepts) turned into a string for nimbus. */
  private static JWTClaimsSet claims(SignedJWT signed) throws ParseException {
    Map<String, Object> payload = signed.getPayload().toJSONObject();
    if (payload == null) {
      throw new ParseException("payload is not a JSON object", 0);
    }
    Map<String, Object> copy = new HashMap<>(payload);
    if (copy.get("iss") instanceof Number number) {
      copy.put("iss", Long.toString(number.longValue()));
    }
    return JWTClaimsSet.parse(copy);
  }

  private static Optional<Long> issuer(Object iss) {
    if (iss instanceof Number number) {
      return Optional.of(number.longValue());
    }
    if (iss instanceof String text) {
      try {
        return Optional.of(Long.parseLong(text.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
