package io.oneshot.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.oneshot.spi.CredentialSealer;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.RunnerExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed credentials, end to end: {@link CredentialSealer} (Java) seals, the entrypoint opens with
 * {@code openssl cms} and the private key from ONESHOT_SEAL_PRIVATE_KEY, and neither the key nor the sealed
 * value is left in the environment a job could read. Needs openssl 3 on the PATH (skipped without it).
 */
class SealedModeTest {
  static final String JIT = "eyJydW5uZXIiOiJzZWFsZWQifQ" + "A".repeat(3000) + "==";
  static final String TOKEN = "AABBCCDDEEFFGGHHIIJJKKLLMMNN1";
  static KeyPair keys;
  static KeyPair otherKeys;
  static CredentialSealer sealer;

  @TempDir
  Path tmp;

  @BeforeAll
  static void keys() throws Exception {
    assumeThat(opensslVersion()).as("openssl 3 on the PATH").startsWith("OpenSSL 3");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    otherKeys = generator.generateKeyPair();
    sealer = CredentialSealer.fromPem(pem("PUBLIC KEY", keys.getPublic().getEncoded()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  static String privateKey(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  Entrypoint sealedJit(String sealed) {
    return new Entrypoint(tmp).env(RunnerEnvironment.SEALED_JIT_CONFIG, sealed).env("STUB_RUN", "job");
  }

  @Test
  void theRunnerGetsTheOpenedJitConfigAndNoProcessKeepsTheKey() {
    String sealed = sealer.seal(JIT);
    Entrypoint entrypoint = sealedJit(sealed).env(RunnerEnvironment.SEAL_PRIVATE_KEY, privateKey(keys));

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).as(run.output()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(entrypoint.stubFile("run-jitconfig")).contains(JIT);
    assertThat(run.output()).contains("opened the sealed credential (ONESHOT_SEALED_JITCONFIG)")
        .doesNotContain(JIT).doesNotContain("PRIVATE KEY");
    assertThat(entrypoint.stubFile("entrypoint-environ")).hasValueSatisfying(environ -> assertThat(environ)
        .doesNotContain(RunnerEnvironment.SEAL_PRIVATE_KEY).doesNotContain(RunnerEnvironment.SEALED_JIT_CONFIG)
        .doesNotContain("PRIVATE KEY").doesNotContain(sealed));
  }

  @Test
  void aSealedTokenRegistersAndNeitherTheTokenNorTheKeyStaysInTheEnvironment() {
    Entrypoint entrypoint = Entrypoint.token(tmp, "unused").without(RunnerEnvironment.RUNNER_TOKEN)
        .env(RunnerEnvironment.SEALED_RUNNER_TOKEN, sealer.seal(TOKEN))
        .env(RunnerEnvironment.SEAL_PRIVATE_KEY, privateKey(keys)).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).as(run.output()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(entrypoint.stubFile("config-token")).contains(TOKEN);
    assertThat(run.output()).doesNotContain(TOKEN);
    assertThat(run.stubSaw("run.sh saw RUNNER_TOKEN")).isFalse();
    assertThat(entrypoint.stubFile("entrypoint-environ")).hasValueSatisfying(environ -> assertThat(environ)
        .doesNotContain(TOKEN).doesNotContain(RunnerEnvironment.SEAL_PRIVATE_KEY)
        .doesNotContain(RunnerEnvironment.SEALED_RUNNER_TOKEN));
  }

  @Test
  void withoutTheKeyItExits65AndSaysWhereTheKeyComesFrom() {
    Entrypoint.Finished run = sealedJit(sealer.seal(JIT)).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.UNSEAL_FAILED);
    assertThat(run.output()).contains("ONESHOT_SEALED_JITCONFIG is sealed but ONESHOT_SEAL_PRIVATE_KEY is not set")
        .contains("secrets").contains("--set-secrets");
    assertThat(run.stubSaw("run.sh")).isFalse();
  }

  @Test
  void anotherKeyOpensNothing() {
    Entrypoint.Finished run = sealedJit(sealer.seal(JIT)).env(RunnerEnvironment.SEAL_PRIVATE_KEY,
        privateKey(otherKeys)).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.UNSEAL_FAILED);
    assertThat(run.output()).contains("ONESHOT_SEALED_JITCONFIG could not be opened with ONESHOT_SEAL_PRIVATE_KEY");
    assertThat(run.stubSaw("run.sh")).isFalse();
  }

  @Test
  void aChangedByteOpensNothing() {
    byte[] der = Base64.getDecoder().decode(sealer.seal(JIT));
    der[der.length - 40] ^= 1;

    Entrypoint.Finished run = sealedJit(Base64.getEncoder().encodeToString(der))
        .env(RunnerEnvironment.SEAL_PRIVATE_KEY, privateKey(keys)).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.UNSEAL_FAILED);
    assertThat(run.stubSaw("run.sh")).isFalse();
  }

  @Test
  void aKeyThatIsNoKeyOrAValueThatIsNoEnvelopeOpensNothing() {
    assertThat(sealedJit(sealer.seal(JIT)).env(RunnerEnvironment.SEAL_PRIVATE_KEY, "not a key").run().exitCode())
        .isEqualTo(RunnerExitCodes.UNSEAL_FAILED);
    assertThat(new Entrypoint(tmp.resolve("b")).env(RunnerEnvironment.SEALED_JIT_CONFIG, "%%% not base64")
        .env(RunnerEnvironment.SEAL_PRIVATE_KEY, privateKey(keys)).run().exitCode())
        .isEqualTo(RunnerExitCodes.UNSEAL_FAILED);
  }

  @Test
  void aSealedAndAPlainJitConfigTogetherAreABadSetup() {
    Entrypoint.Finished run = sealedJit(sealer.seal(JIT)).env(RunnerEnvironment.JIT_CONFIG, "plain")
        .env(RunnerEnvironment.SEAL_PRIVATE_KEY, privateKey(keys)).run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.INVALID_SETUP);
    assertThat(run.output()).contains("set either ONESHOT_SEALED_JITCONFIG or ACTIONS_RUNNER_INPUT_JITCONFIG, not both");
  }

  @Test
  void aKeyWithAnUnsealedJitConfigIsDroppedBeforeTheRunnerStarts() {
    Entrypoint entrypoint = Entrypoint.jit(tmp, "plain-jit").env(RunnerEnvironment.SEAL_PRIVATE_KEY,
        privateKey(keys)).env("STUB_RUN", "job");

    Entrypoint.Finished run = entrypoint.run();

    assertThat(run.exitCode()).isEqualTo(RunnerExitCodes.JOB_DONE);
    assertThat(entrypoint.stubFile("run-jitconfig")).contains("plain-jit");
    assertThat(entrypoint.stubFile("entrypoint-environ")).hasValueSatisfying(environ -> assertThat(environ)
        .doesNotContain(RunnerEnvironment.SEAL_PRIVATE_KEY).doesNotContain("PRIVATE KEY"));
  }

  static String opensslVersion() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.waitFor() == 0 ? out : "";
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
