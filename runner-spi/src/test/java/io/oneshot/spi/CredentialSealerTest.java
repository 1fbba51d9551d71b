package io.oneshot.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link CredentialSealer} writes by hand is the CMS it says it is: BouncyCastle parses and opens it on its
 * own, and so does {@code openssl cms} (where installed); a changed byte or another key opens nothing.
 */
class CredentialSealerTest {
  static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
  static KeyPair keys;
  static KeyPair otherKeys;

  @TempDir
  Path tmp;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    otherKeys = generator.generateKeyPair();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  static String publicPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  static byte[] openWithBouncyCastle(String sealed, PrivateKey key) throws CMSException {
    CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(Base64.getDecoder().decode(sealed));
    RecipientInformation recipient = data.getRecipientInfos().getRecipients().iterator().next();
    return recipient.getContent(new JceKeyTransAuthEnvelopedRecipient(key).setProvider(BC));
  }

  @Test
  void bouncyCastleOpensWhatItSeals() throws Exception {
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));

    String sealed = sealer.seal("eyJydW5uZXIiOiJqaXQifQ==");

    assertThat(sealed).doesNotContain("\n").doesNotContain("eyJydW5uZXIiOiJqaXQifQ");
    assertThat(new String(openWithBouncyCastle(sealed, keys.getPrivate()), StandardCharsets.UTF_8))
        .isEqualTo("eyJydW5uZXIiOiJqaXQifQ==");
  }

  @Test
  void theEnvelopeNamesOaepWithSha256AesGcmAndTheKeyId() throws Exception {
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));

    CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(Base64.getDecoder().decode(sealer.seal("x")));
    RecipientInformation recipient = data.getRecipientInfos().getRecipients().iterator().next();

    var contentAlgorithm = org.bouncycastle.asn1.cms.AuthEnvelopedData.getInstance(data.toASN1Structure().getContent())
        .getAuthEncryptedContentInfo().getContentEncryptionAlgorithm();
    assertThat(contentAlgorithm.getAlgorithm().getId()).isEqualTo("2.16.840.1.101.3.4.1.46");
    GCMParameters gcm = GCMParameters.getInstance(contentAlgorithm.getParameters());
    assertThat(gcm.getNonce()).hasSize(12);
    assertThat(gcm.getIcvLen()).isEqualTo(16);
    assertThat(recipient.getKeyEncryptionAlgOID()).isEqualTo("1.2.840.113549.1.1.7");
    assertThat(recipient.getKeyEncryptionAlgorithm().getParameters().toString())
        .contains("2.16.840.1.101.3.4.2.1").contains("1.2.840.113549.1.1.8");
    assertThat(((KeyTransRecipientId) recipient.getRID()).getSubjectKeyIdentifier())
        .isEqualTo(java.util.HexFormat.of().parseHex(sealer.keyId()));
  }

  @Test
  void everySealIsFresh() {
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));

    assertThat(sealer.seal("same")).isNotEqualTo(sealer.seal("same"));
  }

  @Test
  void anotherKeyOrAChangedByteOpensNothing() {
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));
    String sealed = sealer.seal("secret jit");
    byte[] tampered = Base64.getDecoder().decode(sealed);
    tampered[tampered.length - 20] ^= 1;

    // With another key, RSA-OAEP either fails to unpad (CMSException) or, when the wrapped key read as a number is
    // not below the other key's modulus (about half the time), refuses the input outright: both open nothing.
    assertThatThrownBy(() -> openWithBouncyCastle(sealed, otherKeys.getPrivate()))
        .isInstanceOfAny(CMSException.class, org.bouncycastle.crypto.DataLengthException.class);
    assertThatThrownBy(() -> openWithBouncyCastle(Base64.getEncoder().encodeToString(tampered), keys.getPrivate()))
        .isInstanceOf(CMSException.class);
  }

  @Test
  void opensslOpensItWithThePrivateKeyAlone() throws Exception {
    assumeThat(opensslVersion()).as("openssl 3 on the PATH").startsWith("OpenSSL 3");
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));
    String jit = "eyJ".repeat(1500) + "==";

    Path key = Files.writeString(tmp.resolve("seal.key"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Path der = Files.write(tmp.resolve("sealed.der"), Base64.getDecoder().decode(sealer.seal(jit)));
    Process openssl = new ProcessBuilder("openssl", "cms", "-decrypt", "-binary", "-inform", "DER", "-in",
        der.toString(), "-inkey", key.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String opened = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(openssl.waitFor()).isZero();
    assertThat(opened).isEqualTo(jit);
  }

  @Test
  void sealingTheEnvironmentReplacesOnlyTheCredentialsInPlace() throws Exception {
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "1");
    env.put(RunnerEnvironment.JIT_CONFIG, "jit");
    env.put(RunnerEnvironment.RUNNER_TOKEN, "token");
    env.put(RunnerEnvironment.IDLE_TIMEOUT, "600s");

    Map<String, String> sealed = sealer.sealEnvironment(env);

    assertThat(sealed.keySet()).containsExactly("A", RunnerEnvironment.SEALED_JIT_CONFIG,
        RunnerEnvironment.SEALED_RUNNER_TOKEN, RunnerEnvironment.IDLE_TIMEOUT);
    assertThat(openWithBouncyCastle(sealed.get(RunnerEnvironment.SEALED_JIT_CONFIG), keys.getPrivate()))
        .asString(StandardCharsets.UTF_8).isEqualTo("jit");
    assertThat(openWithBouncyCastle(sealed.get(RunnerEnvironment.SEALED_RUNNER_TOKEN), keys.getPrivate()))
        .asString(StandardCharsets.UTF_8).isEqualTo("token");
  }

  @Test
  void aSealedJitConfigOf4000CharactersTakesAbout5900() {
    CredentialSealer sealer = CredentialSealer.fromPem(publicPem(keys.getPublic()));

    int sealed = sealer.seal("x".repeat(4000)).length();

    // 4000 + 16-byte tag + 256-byte wrapped key (RSA-2048; 384 with 3072) + ~180 bytes of framing, times 4/3
    // for base64: docs/sealed-jit.md gives these numbers for ECS's 8192-character overrides.
    assertThat(sealed).isBetween(5900, 5960);
  }

  @Test
  void badKeysGetOneLineThatSaysWhatToGiveAndNeverEchoTheKey() throws Exception {
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    String privatePem = pem("PRIVATE KEY", keys.getPrivate().getEncoded());

    for (var bad : List.of(
        List.of(pem("PUBLIC KEY", small.generateKeyPair().getPublic().getEncoded()), "1024-bit RSA key; use at least 2048"),
        List.of(pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded()), "not an RSA public key"),
        List.of(privatePem, "it is a private key; give only the public half"),
        List.of("-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----", "PKCS#1"),
        List.of("ssh-rsa AAAAB3NzaC1yc2E", "not a PEM public key"),
        List.of("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----", "not base64"))) {
      assertThatThrownBy(() -> CredentialSealer.fromPem(bad.get(0))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.get(1))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("MII"));
    }
  }

  @Test
  void whitespaceAroundAndInsideThePemIsFine() {
    String pem = "\n  " + publicPem(keys.getPublic()).replace("\n", "\r\n") + "\n\n";

    assertThat(CredentialSealer.fromPem(pem).keyBits()).isEqualTo(2048);
    assertThat(CredentialSealer.fromPem(pem).toString()).startsWith("CredentialSealer[RSA-2048, keyId=");
  }

  static String opensslVersion() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.waitFor() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
