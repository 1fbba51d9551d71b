package io.oneshot.github.internal;

import io.oneshot.spi.InvalidSettingsException;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads an RSA private key from PEM text, PKCS#1 or PKCS#8, with BouncyCastle. Stateless. */
public final class PemKeys {
  private static final String ACCEPTED = "paste the App's private key file as downloaded from GitHub"
      + " (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----), newlines included";

  private PemKeys() {}

  /**
   * Parses the key. Messages never contain any part of the key.
   *
   * @throws InvalidSettingsException naming {@code app-private-key} when the text is not an RSA PEM key
   */
  public static RSAPrivateKey parseRsaPrivateKey(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new InvalidSettingsException("app-private-key is empty; " + ACCEPTED);
    }
    // Actions secrets sometimes arrive with literal "\n" instead of newlines.
    String text = pem.contains("\\n") && !pem.contains("\n") ? pem.replace("\\n", "\n") : pem;
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(text.trim()))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new InvalidSettingsException("app-private-key is not a readable PEM key; " + ACCEPTED);
    }
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      PrivateKey key;
      if (parsed instanceof PEMKeyPair pair) {
        key = converter.getPrivateKey(pair.getPrivateKeyInfo());
      } else if (parsed instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else {
        throw new InvalidSettingsException("app-private-key holds no private key"
            + (parsed == null ? "" : " (found " + parsed.getClass().getSimpleName() + ")") + "; " + ACCEPTED);
      }
      if (key instanceof RSAPrivateKey rsa) {
        return rsa;
      }
      throw new InvalidSettingsException("app-private-key is a " + key.getAlgorithm()
          + " key; GitHub App keys are RSA; " + ACCEPTED);
    } catch (IOException e) {
      throw new InvalidSettingsException("app-private-key could not be decoded as an RSA key; " + ACCEPTED);
    }
  }
}
