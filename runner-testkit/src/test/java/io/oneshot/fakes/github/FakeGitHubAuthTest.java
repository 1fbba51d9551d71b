package io.oneshot.fakes.github;

import static io.oneshot.fakes.github.GitHubHttp.jit;
import static io.oneshot.fakes.github.GitHubHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.oneshot.fakes.TestClock;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGitHubAuthTest {
  private static final TestClock CLOCK = TestClock.atEpochOfTests();
  private static FakeGitHub github;
  private static FakeGitHubApp app;
  private static FakeGitHubApp otherApp;
  private static long repoInstallation;
  private static long orgInstallation;

  @BeforeAll
  static void start() {
    github = FakeGitHub.builder().clock(CLOCK).seed(7).build();
    github.addRepository("octo/app");
    github.addRepository("octo/lib");
    github.addRepository("other/app");
    github.addOrganization("octo");
    github.addEnterprise("acme");
    app = github.createApp();
    otherApp = github.createApp();
    repoInstallation = github.install(app, "repos/other/app");
    orgInstallation = github.install(app, "orgs/octo");
  }

  @AfterAll
  static void stop() {
    github.close();
  }

  @BeforeEach
  void freshBudgets() {
    CLOCK.advance(Duration.ofHours(2)); // expire earlier tokens and rate-limit windows
  }

  @Test
  void patsAreCheckedAndScoped() {
    assertThat(GitHubHttp.token(github, null).get("/orgs/octo/actions/runners").statusCode()).isEqualTo(401);
    HttpResponse<String> bad = GitHubHttp.token(github, "ghp_" + "x".repeat(36)).get("/orgs/octo/actions/runners");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(json(bad).path("message").asText()).isEqualTo("Bad credentials");

    String token = github.issueToken();
    assertThat(token).matches("ghp_[A-Za-z0-9]{36}");
    assertThat(GitHubHttp.token(github, token).get("/enterprises/acme/actions/runners").statusCode())
        .isEqualTo(200);

    GitHubHttp restricted = GitHubHttp.token(github, github.issueToken("repos/octo/app"));
    assertThat(restricted.get("/repos/octo/app/actions/runners").statusCode()).isEqualTo(200);
    HttpResponse<String> denied = restricted.get("/orgs/octo/actions/runners");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(json(denied).path("message").asText())
        .isEqualTo("Resource not accessible by personal access token");
    assertThat(github.issuedSecrets()).contains(token);
  }

  @Test
  void appJwtGetsAnInstallationTokenThatExpiresAfterAnHour() throws Exception {
    Instant now = CLOCK.instant();
    String jwt = jwt(app, now.minusSeconds(60), now.plusSeconds(540), "1");
    GitHubHttp asApp = GitHubHttp.bearer(github, jwt);

    JsonNode installation = json(asApp.get("/repos/octo/lib/installation"));
    assertThat(installation.path("id").asLong()).isEqualTo(orgInstallation);
    assertThat(installation.path("app_id").asLong()).isEqualTo(app.appId());
    assertThat(json(asApp.get("/orgs/octo/installation")).path("id").asLong()).isEqualTo(orgInstallation);
    assertThat(asApp.get("/repos/octo/missing/installation").statusCode()).isEqualTo(404);

    HttpResponse<String> created =
        asApp.post("/app/installations/" + repoInstallation + "/access_tokens", null);
    assertThat(created.statusCode()).isEqualTo(201);
    String token = json(created).path("token").asText();
    assertThat(token).startsWith("ghs_");
    assertThat(Instant.parse(json(created).path("expires_at").asText())).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(github.issuedSecrets()).contains(token);

    GitHubHttp asInstallation = GitHubHttp.token(github, token);
    assertThat(asInstallation.post("/repos/other/app/actions/runners/generate-jitconfig",
        jit("app-runner", 1, "self-hosted")).statusCode()).isEqualTo(201);
    assertThat(asInstallation.get("/repos/octo/app/actions/runners").statusCode()).isEqualTo(403);

    CLOCK.advance(Duration.ofMinutes(59));
    assertThat(asInstallation.get("/repos/other/app/actions/runners").statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofMinutes(1));
    HttpResponse<String> expired = asInstallation.get("/repos/other/app/actions/runners");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(json(expired).path("message").asText()).isEqualTo("Bad credentials");

    assertThat(github.receivedAppJwts()).extracting(JWTClaimsSet::getJWTID).contains("1");
  }

  @Test
  void orgInstallationCoversItsReposButNotTheEnterprise() throws Exception {
    Instant now = CLOCK.instant();
    GitHubHttp asApp = GitHubHttp.bearer(github, jwt(app, now, now.plusSeconds(600), "2"));
    String token = json(asApp.post("/app/installations/" + orgInstallation + "/access_tokens", "{}"))
        .path("token").asText();
    GitHubHttp asInstallation = GitHubHttp.token(github, token);

    assertThat(asInstallation.get("/orgs/octo/actions/runners").statusCode()).isEqualTo(200);
    assertThat(asInstallation.get("/repos/octo/lib/actions/runners").statusCode()).isEqualTo(200);
    assertThat(asInstallation.get("/repos/other/app/actions/runners").statusCode()).isEqualTo(403);
    HttpResponse<String> enterprise = asInstallation.get("/enterprises/acme/actions/runners");
    assertThat(enterprise.statusCode()).isEqualTo(403);
    assertThat(json(enterprise).path("message").asText()).isEqualTo("Resource not accessible by integration");
  }

  @Test
  void invalidJwtsAre401() throws Exception {
    Instant now = CLOCK.instant();
    String path = "/app/installations/" + orgInstallation + "/access_tokens";

    HttpResponse<String> expired =
        GitHubHttp.bearer(github, jwt(app, now.minusSeconds(700), now.minusSeconds(100), "e")).post(path, null);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(json(expired).path("message").asText()).contains("'Expiration time' claim ('exp')");

    HttpResponse<String> tooLong =
        GitHubHttp.bearer(github, jwt(app, now.minusSeconds(60), now.plusSeconds(600), "l")).post(path, null);
    assertThat(tooLong.statusCode()).isEqualTo(401);
    assertThat(json(tooLong).path("message").asText()).contains("too far in the future");

    HttpResponse<String> future =
        GitHubHttp.bearer(github, jwt(app, now.plusSeconds(120), now.plusSeconds(300), "f")).post(path, null);
    assertThat(future.statusCode()).isEqualTo(401);

    String forged = jwtSignedBy(otherApp, app.appId(), now, now.plusSeconds(300));
    HttpResponse<String> wrongKey = GitHubHttp.bearer(github, forged).post(path, null);
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(json(wrongKey).path("message").asText()).isEqualTo("A JSON web token could not be decoded");

    assertThat(GitHubHttp.bearer(github, "not-a-jwt").post(path, null).statusCode()).isEqualTo(401);
    assertThat(GitHubHttp.token(github, github.issueToken()).post(path, null).statusCode()).isEqualTo(401);

    String otherAppsJwt = jwt(otherApp, now, now.plusSeconds(300), "o");
    assertThat(GitHubHttp.bearer(github, otherAppsJwt).post(path, null).statusCode()).isEqualTo(404);
  }

  @Test
  void jwtReuseIsAcceptedAndIssCanBeANumber() throws Exception {
    Instant now = CLOCK.instant();
    PrivateKey key = pkcs8(app);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("iss", app.appId())
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
    SignedJWT signed = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    signed.sign(new RSASSASigner(key));
    GitHubHttp asApp = GitHubHttp.bearer(github, signed.serialize());

    assertThat(asApp.get("/orgs/octo/installation").statusCode()).isEqualTo(200);
    assertThat(asApp.get("/orgs/octo/installation").statusCode()).isEqualTo(200);
  }

  @Test
  void pkcs1PemHoldsTheSameKeyAsPkcs8() throws Exception {
    assertThat(app.privateKeyPkcs1Pem()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    assertThat(app.privateKeyPkcs8Pem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(app.toString()).doesNotContain("PRIVATE");

    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(app.privateKeyPkcs1Pem()))) {
      parsed = parser.readObject();
    }
    PrivateKey fromPkcs1 = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parsed).getPrivate();
    assertThat(fromPkcs1.getEncoded()).isEqualTo(pkcs8(app).getEncoded());
    assertThat(RSAPrivateKey.getInstance(der(app.privateKeyPkcs1Pem())).getModulus().bitLength())
        .isEqualTo(2048);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String jwt(FakeGitHubApp signer, Instant iat, Instant exp, String jti) throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(Long.toString(signer.appId()))
        .issueTime(Date.from(iat)).expirationTime(Date.from(exp)).jwtID(jti).build();
    SignedJWT signed = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      signed.sign(new RSASSASigner(pkcs8(signer)));
    } catch (Exception e) {
      throw new JOSEException(e.getMessage(), e);
    }
    return signed.serialize();
  }

  private static String jwtSignedBy(FakeGitHubApp signer, long claimedAppId, Instant iat, Instant exp)
      throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(Long.toString(claimedAppId))
        .issueTime(Date.from(iat)).expirationTime(Date.from(exp)).jwtID(UUID.randomUUID().toString()).build();
    SignedJWT signed = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    signed.sign(new RSASSASigner(pkcs8(signer)));
    return signed.serialize();
  }

  private static PrivateKey pkcs8(FakeGitHubApp signer) throws Exception {
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(signer.privateKeyPkcs8Pem())));
  }

  private static byte[] der(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(base64);
  }
}
