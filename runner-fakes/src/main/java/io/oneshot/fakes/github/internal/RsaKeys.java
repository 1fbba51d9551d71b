package io.oneshot.fakes.github.internal;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Generates GitHub App keys with the JDK and writes them as PEM, both PKCS#8 ({@code BEGIN PRIVATE KEY})
 * and PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, the format GitHub hands out). The PKCS#1 form is taken
 * out of the PKCS#8 encoding by reading its DER structure by hand, so no BouncyCastle is needed.
 * Stateless and thread-safe.
 */
public final class RsaKeys {
  private RsaKeys() {}

  /** A new 2048-bit RSA key pair (blocks for roughly 50–500 ms). */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /** PEM text of a PKCS#8 DER private key. */
  public static String pkcs8Pem(byte[] pkcs8Der) {
    return pem("PRIVATE KEY", pkcs8Der);
  }

  /** PEM text of the PKCS#1 key inside a PKCS#8 DER private key. */
  public static String pkcs1Pem(byte[] pkcs8Der) {
    return pem("RSA PRIVATE KEY", pkcs1FromPkcs8(pkcs8Der));
  }

  /**
   * Extracts the PKCS#1 {@code RSAPrivateKey} from a PKCS#8 {@code PrivateKeyInfo}: {@code SEQUENCE {
   * INTEGER version, SEQUENCE algorithm, OCTET STRING privateKey, ... }}; the OCTET STRING's content
   * is the PKCS#1 encoding.
   */
  public static byte[] pkcs1FromPkcs8(byte[] der) {
    Der reader = new Der(der);
    reader.enter(0x30);
    reader.skip(0x02);
    reader.skip(0x30);
    return reader.read(0x04);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** A minimal DER reader: tag, definite length, contents. */
  private static final class Der {
    private final byte[] data;
    private int pos;

    Der(byte[] data) {
      this.data = data;
    }

    void enter(int tag) {
      length(tag);
    }

    void skip(int tag) {
      int len = length(tag);
      pos += len;
    }

    byte[] read(int tag) {
      int len = length(tag);
      byte[] out = Arrays.copyOfRange(data, pos, pos + len);
      pos += len;
      return out;
    }

    private int length(int tag) {
      int actual = data[pos++] & 0xff;
      if (actual != tag) {
        throw new IllegalArgumentException("not a PKCS#8 RSA key: expected DER tag " + tag + " at "
            + (pos - 1) + " but found " + actual);
      }
      int first = data[pos++] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int count = first & 0x7f;
      if (count == 0 || count > 4) {
        throw new IllegalArgumentException("unsupported DER length");
      }
      int len = 0;
      for (int i = 0; i < count; i++) {
        len = (len << 8) | (data[pos++] & 0xff);
      }
      return len;
    }
  }
}
