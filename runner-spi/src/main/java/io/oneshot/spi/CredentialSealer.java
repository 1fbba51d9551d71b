package io.oneshot.spi;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Seals a runner credential (a JIT config, a registration token) to an RSA public key so that only the
 * holder of the private key (the runner container, which gets it from the cloud's secret store) can open it,
 * and whoever reads the launch request back from the cloud's control plane cannot. The format is standard
 * CMS (RFC 5652) {@code AuthEnvelopedData} (RFC 5083): one {@code KeyTransRecipientInfo} with RSAES-OAEP
 * (SHA-256, MGF1 with SHA-256; RFC 4055) wrapping a fresh AES-256 key, the content encrypted with AES-256-GCM
 * (RFC 5084, 12-byte nonce, 16-byte tag), DER, then base64 on one line. The runner image opens it with
 * {@code openssl cms -decrypt -inform DER -inkey KEY} (OpenSSL 3.0 or newer). Built with the JDK alone, so the
 * SPI stays free of dependencies; {@code docs/sealed-jit.md} explains the choice.
 *
 * <p>Immutable and thread-safe; {@link #seal} never blocks on I/O and is not idempotent (a fresh key and nonce
 * every call, by design).
 */
public final class CredentialSealer {
  /** The smallest RSA modulus accepted, in bits. */
  public static final int MIN_KEY_BITS = 2048;

  private static final String OID_AUTH_ENVELOPED_DATA = "1.2.840.113549.1.9.16.1.23";
  private static final String OID_RSAES_OAEP = "1.2.840.113549.1.1.7";
  private static final String OID_MGF1 = "1.2.840.113549.1.1.8";
  private static final String OID_SHA256 = "2.16.840.1.101.3.4.2.1";
  private static final String OID_DATA = "1.2.840.113549.1.7.1";
  private static final String OID_AES256_GCM = "2.16.840.1.101.3.4.1.46";
  private static final int GCM_NONCE_BYTES = 12;
  private static final int GCM_TAG_BYTES = 16;
  private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec("SHA-256", "MGF1",
      MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

  private final RSAPublicKey publicKey;
  private final byte[] subjectKeyIdentifier;
  private final SecureRandom random;

  private CredentialSealer(RSAPublicKey publicKey, SecureRandom random) {
    this.publicKey = publicKey;
    this.random = random;
    try {
      // RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. OpenSSL's -keyid writes the same.
      byte[] spki = publicKey.getEncoded();
      this.subjectKeyIdentifier = MessageDigest.getInstance("SHA-1").digest(subjectPublicKeyBits(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /**
   * A sealer for an RSA public key ({@code -----BEGIN PUBLIC KEY-----}, as {@code openssl pkey -pubout} writes
   * it) of at least {@link #MIN_KEY_BITS} bits. Does not block.
   *
   * @throws IllegalArgumentException with a one-line message that says what is wrong and what to give instead;
   *     the message never repeats the key text
   */
  public static CredentialSealer fromPem(String pem) {
    return fromPem(pem, new SecureRandom());
  }

  static CredentialSealer fromPem(String pem, SecureRandom random) {
    Objects.requireNonNull(pem, "pem");
    String text = pem.strip();
    if (text.contains("PRIVATE KEY")) {
      throw new IllegalArgumentException("it is a private key; give only the public half (openssl pkey -in seal.key"
          + " -pubout) and keep the private key in the cloud's secret store");
    }
    if (text.startsWith("-----BEGIN RSA PUBLIC KEY-----")) {
      throw new IllegalArgumentException("it is a PKCS#1 RSA public key; give the SubjectPublicKeyInfo form"
          + " (-----BEGIN PUBLIC KEY-----) that openssl pkey -in seal.key -pubout writes");
    }
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from != 0 || to < 0 || !text.endsWith(end)) {
      throw new IllegalArgumentException("it is not a PEM public key; give the text of -----BEGIN PUBLIC KEY-----"
          + " ... -----END PUBLIC KEY----- that openssl pkey -in seal.key -pubout writes");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(text.substring(begin.length(), to).replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("its PEM body is not base64; paste the whole output of openssl pkey -in"
          + " seal.key -pubout");
    }
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("it is not an RSA public key; create one with openssl genpkey -algorithm"
          + " RSA -pkeyopt rsa_keygen_bits:3072 -out seal.key and give openssl pkey -in seal.key -pubout");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no RSA", e);
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    int bits = rsa.getModulus().bitLength();
    if (bits < MIN_KEY_BITS) {
      throw new IllegalArgumentException("it is a " + bits + "-bit RSA key; use at least " + MIN_KEY_BITS
          + " bits (3072 recommended)");
    }
    return new CredentialSealer(rsa, random);
  }

  /** The key's size in bits. */
  public int keyBits() {
    return publicKey.getModulus().bitLength();
  }

  /** The key identifier written into every envelope (SHA-1 of the public key bits), in hex, for logs. */
  public String keyId() {
    return HexFormat.of().formatHex(subjectKeyIdentifier);
  }

  /**
   * Seals a secret: base64 (one line, no padding removed) of a DER CMS {@code AuthEnvelopedData}. Every call
   * uses a fresh AES key and nonce. Does not block on I/O.
   */
  public String seal(String secret) {
    Objects.requireNonNull(secret, "secret");
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256, random);
      SecretKey contentKey = generator.generateKey();
      byte[] nonce = new byte[GCM_NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, contentKey, new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce));
      byte[] sealed = gcm.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] ciphertext = java.util.Arrays.copyOf(sealed, sealed.length - GCM_TAG_BYTES);
      byte[] tag = java.util.Arrays.copyOfRange(sealed, sealed.length - GCM_TAG_BYTES, sealed.length);
      // "OAEPWithSHA-256AndMGF1Padding" alone would use MGF1 with SHA-1 in SunJCE: name both digests.
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.ENCRYPT_MODE, publicKey, OAEP_SHA256, random);
      byte[] wrappedKey = oaep.doFinal(contentKey.getEncoded());
      return Base64.getEncoder().encodeToString(envelope(wrappedKey, nonce, ciphertext, tag));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK could not seal with RSA-OAEP and AES-GCM", e);
    }
  }

  /**
   * The container environment with its secrets sealed, in the same order: {@link RunnerEnvironment#JIT_CONFIG}
   * becomes {@link RunnerEnvironment#SEALED_JIT_CONFIG} and {@link RunnerEnvironment#RUNNER_TOKEN} becomes
   * {@link RunnerEnvironment#SEALED_RUNNER_TOKEN}; everything else is kept. Does not block on I/O.
   */
  public Map<String, String> sealEnvironment(Map<String, String> environment) {
    Map<String, String> sealed = new LinkedHashMap<>();
    environment.forEach((name, value) -> {
      if (RunnerEnvironment.JIT_CONFIG.equals(name)) {
        sealed.put(RunnerEnvironment.SEALED_JIT_CONFIG, seal(value));
      } else if (RunnerEnvironment.RUNNER_TOKEN.equals(name)) {
        sealed.put(RunnerEnvironment.SEALED_RUNNER_TOKEN, seal(value));
      } else {
        sealed.put(name, value);
      }
    });
    return sealed;
  }

  /** Sealers for the same public key are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof CredentialSealer that
        && java.util.Arrays.equals(publicKey.getEncoded(), that.publicKey.getEncoded());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(publicKey.getEncoded());
  }

  @Override
  public String toString() {
    return "CredentialSealer[RSA-" + keyBits() + ", keyId=" + keyId() + "]";
  }

  // ContentInfo { id-ct-authEnvelopedData, [0] AuthEnvelopedData { 0, {KeyTransRecipientInfo}, EncryptedContentInfo,
  // mac } }, RFC 5652 and RFC 5083, with the OAEP parameters of RFC 4055 and the GCM parameters of RFC 5084.
  private byte[] envelope(byte[] wrappedKey, byte[] nonce, byte[] ciphertext, byte[] tag) {
    byte[] sha256 = sequence(oid(OID_SHA256));
    byte[] oaepParams = sequence(tlv(0xA0, sha256), tlv(0xA1, sequence(oid(OID_MGF1), sha256)));
    byte[] recipient = sequence(
        integer(2),
        tlv(0x80, subjectKeyIdentifier),
        sequence(oid(OID_RSAES_OAEP), oaepParams),
        tlv(0x04, wrappedKey));
    byte[] contentInfo = sequence(
        oid(OID_DATA),
        sequence(oid(OID_AES256_GCM), sequence(tlv(0x04, nonce), integer(GCM_TAG_BYTES))),
        tlv(0x80, ciphertext));
    byte[] authEnvelopedData = sequence(integer(0), tlv(0x31, recipient), contentInfo, tlv(0x04, tag));
    return sequence(oid(OID_AUTH_ENVELOPED_DATA), tlv(0xA0, authEnvelopedData));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      body.writeBytes(part);
    }
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] integer(int value) {
    return tlv(0x02, BigInteger.valueOf(value).toByteArray());
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = 1;
      while (arc >>> (7 * groups) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        body.write((int) ((arc >>> (7 * g)) & 0x7F) | (g == 0 ? 0 : 0x80));
      }
    }
    return tlv(0x06, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  // The BIT STRING contents (after the unused-bits byte) of a SubjectPublicKeyInfo: SEQUENCE { alg, BIT STRING }.
  private static byte[] subjectPublicKeyBits(byte[] spki) {
    int[] outer = header(spki, 0);
    int[] algorithm = header(spki, outer[0]);
    int bitString = algorithm[0] + algorithm[1];
    int[] bits = header(spki, bitString);
    return java.util.Arrays.copyOfRange(spki, bits[0] + 1, bits[0] + bits[1]);
  }

  // {offset of the value, length of the value} of the TLV at offset.
  private static int[] header(byte[] der, int offset) {
    int first = der[offset + 1] & 0xFF;
    if (first < 0x80) {
      return new int[] {offset + 2, first};
    }
    int count = first & 0x7F;
    int length = 0;
    for (int i = 0; i < count; i++) {
      length = (length << 8) | (der[offset + 2 + i] & 0xFF);
    }
    return new int[] {offset + 2 + count, length};
  }
}
