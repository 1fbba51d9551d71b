package io.oneshot.github;

import io.oneshot.github.internal.PemKeys;
import io.oneshot.spi.InvalidSettingsException;
import java.security.interfaces.RSAPrivateKey;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How the client authenticates: a token (classic or fine-grained PAT, or an installation token), or
 * a GitHub App whose installation tokens the client mints itself. {@code toString()} never shows a
 * secret.
 */
public sealed interface GitHubCredentials {

  /** A bearer token used as is. */
  static GitHubCredentials token(String token) {
    return new Token(token);
  }

  /**
   * A GitHub App. The PEM key (PKCS#1 {@code RSA PRIVATE KEY} or PKCS#8 {@code PRIVATE KEY}) is parsed
   * at once, so a bad key fails before any call.
   *
   * @param installationId the installation to use; empty to look it up from the repository or org
   * @throws InvalidSettingsException when the app id is not positive or the key is not an RSA PEM key
   */
  static GitHubCredentials app(long appId, String privateKeyPem, OptionalLong installationId) {
    if (appId <= 0) {
      throw new InvalidSettingsException("app-id must be a positive number (the App's numeric id from its settings page)");
    }
    return new App(appId, PemKeys.parseRsaPrivateKey(privateKeyPem), installationId);
  }

  /** A token credential. */
  final class Token implements GitHubCredentials {
    private final String value;

    private Token(String value) {
      Objects.requireNonNull(value, "token");
      if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new InvalidSettingsException("token is empty or contains whitespace or non-ASCII characters;"
            + " pass a GitHub token (ghp_..., github_pat_..., ghs_...) with nothing around it");
      }
      this.value = value;
    }

    /** The secret itself, for the Authorization header only. */
    public String value() {
      return value;
    }

    @Override
    public String toString() {
      return "Token[***]";
    }
  }

  /** A GitHub App credential. */
  final class App implements GitHubCredentials {
    private final long appId;
    private final RSAPrivateKey privateKey;
    private final OptionalLong installationId;

    private App(long appId, RSAPrivateKey privateKey, OptionalLong installationId) {
      this.appId = appId;
      this.privateKey = privateKey;
      this.installationId = Objects.requireNonNull(installationId, "installationId");
    }

    public long appId() {
      return appId;
    }

    /** The App's private key, for signing JWTs only. */
    public RSAPrivateKey privateKey() {
      return privateKey;
    }

    public OptionalLong installationId() {
      return installationId;
    }

    @Override
    public String toString() {
      return "App[appId=" + appId + ", installationId=" + installationId + ", privateKey=***]";
    }
  }
}
