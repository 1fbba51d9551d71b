package io.oneshot.fakes.github;

/**
 * A GitHub App registered with a {@link FakeGitHub}: its id and its private key in the two PEM formats
 * clients meet (GitHub hands out PKCS#1). The keys are secrets: {@link #toString()} shows only the id.
 * Immutable.
 *
 * @param appId the App id, the {@code iss} of its JWTs
 * @param privateKeyPkcs1Pem {@code -----BEGIN RSA PRIVATE KEY-----} PEM
 * @param privateKeyPkcs8Pem {@code -----BEGIN PRIVATE KEY-----} PEM
 */
public record FakeGitHubApp(long appId, String privateKeyPkcs1Pem, String privateKeyPkcs8Pem) {
  @Override
  public String toString() {
    return "FakeGitHubApp[appId=" + appId + ", privateKey=***]";
  }
}
