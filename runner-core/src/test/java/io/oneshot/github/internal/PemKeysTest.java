package io.oneshot.github.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.InvalidSettingsException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PemKeysTest {
  private static KeyPair rsa;

  @BeforeAll
  static void generate() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
  }

  /** BouncyCastle writes a JCA RSA key as PKCS#1, like the key files GitHub hands out. */
  private static String pkcs1() throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(rsa);
    }
    return out.toString();
  }

  private static String pkcs8() {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void readsPkcs1() throws Exception {
    String pem = pkcs1();
    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    RSAPrivateKey key = PemKeys.parseRsaPrivateKey(pem);

    assertThat(key.getModulus()).isEqualTo(((RSAPrivateKey) rsa.getPrivate()).getModulus());
  }

  @Test
  void readsPkcs8() {
    RSAPrivateKey key = PemKeys.parseRsaPrivateKey(pkcs8());

    assertThat(key.getPrivateExponent()).isEqualTo(((RSAPrivateKey) rsa.getPrivate()).getPrivateExponent());
  }

  @Test
  void readsAKeyWhoseNewlinesArrivedEscaped() throws Exception {
    String escaped = pkcs1().replace("\n", "\\n");

    assertThat(PemKeys.parseRsaPrivateKey(escaped).getModulus())
        .isEqualTo(((RSAPrivateKey) rsa.getPrivate()).getModulus());
  }

  @Test
  void garbageIsRejectedWithoutEchoingIt() {
    String garbage = "-----BEGIN RSA PRIVATE KEY-----\nTOPSECRETnotbase64!!\n-----END RSA PRIVATE KEY-----";

    assertThatThrownBy(() -> PemKeys.parseRsaPrivateKey(garbage))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageStartingWith("app-private-key")
        .hasMessageNotContaining("TOPSECRET");
  }

  @Test
  void aPublicKeyIsNotAPrivateKey() {
    String publicPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";

    assertThatThrownBy(() -> PemKeys.parseRsaPrivateKey(publicPem))
        .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("holds no private key");
  }

  @Test
  void emptyIsRejected() {
    assertThatThrownBy(() -> PemKeys.parseRsaPrivateKey("  ")).hasMessageStartingWith("app-private-key is empty");
  }
}
