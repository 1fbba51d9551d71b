package io.oneshot.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a backend whose control plane shows a container's environment (ECS, Cloud Run) must do with
 * {@code seal-public-key}, as an abstract JUnit 5 class its test extends: what the launch sends carries the
 * credential only sealed (a JIT config or a registration token, which the private key opens), the launcher then
 * reports a secret environment, an unsealed registration token is refused before any call, and a key that is not
 * an RSA public key is one problem tied to the setting. Each test makes its own fake organization.
 */
public abstract class SealingContract {
  /** A fresh RSA key pair for the sealing (one per test class). */
  protected static final KeyPair KEYS = rsaKeys();
  /** {@link #KEYS}' public key in PEM, as {@code seal-public-key} takes it. */
  public static final String PUBLIC_PEM = "-----BEGIN PUBLIC KEY-----\n"
      + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  private static final String TOKEN = "AABBCCDDEEFFGGHHIIJJKKLLMMNN1";
  private static final String RUNNER = "seal-00000001";

  /** The fake GitHub organization the backend's fake runs its containers against. */
  protected final GitHubOrg org = new GitHubOrg("octo", 1);

  /** A launcher for starting, over the backend's fake, with these settings (name, value, name, value, ...). */
  protected abstract RunnerLauncher launcher(String... settings);

  /** The environment of the first container launched, as the cloud's control plane shows it. */
  protected abstract Map<String, String> firstContainerEnvironment();

  /** How many launch calls reached the cloud's fake. */
  protected abstract int launchCalls();

  /** The permission that reads a container's environment on this cloud, which the refusal names. */
  protected abstract String environmentReadPermission();

  /** The backend's provider, with its declared settings. */
  protected abstract RunnerLauncherProvider provider();

  @AfterEach
  final void closeOrganization() {
    org.close();
  }

  /** Opens a sealed value (CMS AuthEnvelopedData, base64) with {@code key}. */
  protected static String open(String sealed, PrivateKey key) throws Exception {
    RecipientInformation recipient = new CMSAuthEnvelopedData(Base64.getDecoder().decode(sealed)).getRecipientInfos()
        .getRecipients().iterator().next();
    return new String(recipient.getContent(new JceKeyTransAuthEnvelopedRecipient(key)
        .setProvider(new BouncyCastleProvider())), StandardCharsets.UTF_8);
  }

  private static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LaunchSpec spec(RunnerCredential credential) {
    return new LaunchSpec(RUNNER, List.of("self-hosted", "sealed"), credential, Map.of(), Duration.ofHours(1),
        Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team", OwnershipTags.RUNNER, RUNNER), RUNNER + "-1", 0);
  }

  private LaunchSpec jitSpec() {
    return org.jitLaunchSpec(RUNNER, List.of("self-hosted", "sealed"), Map.of(), 0);
  }

  private static RunnerCredential.RegistrationToken token() {
    return new RunnerCredential.RegistrationToken(TOKEN, URI.create("https://github.com/octo"), "Default", "_work");
  }

  @Test
  void theContainerCarriesOnlyTheSealedJitConfigWhichThePrivateKeyOpens() throws Exception {
    RunnerLauncher launcher = launcher("seal-public-key", PUBLIC_PEM);
    LaunchSpec spec = jitSpec();

    launcher.launch(spec);

    Map<String, String> env = firstContainerEnvironment();
    assertThat(env).doesNotContainKey(RunnerEnvironment.JIT_CONFIG)
        .containsKey(RunnerEnvironment.SEALED_JIT_CONFIG).containsEntry("ONESHOT_IDLE_TIMEOUT", "600s");
    assertThat(env.values()).noneMatch(v -> v.contains(spec.credential().secret()));
    assertThat(open(env.get(RunnerEnvironment.SEALED_JIT_CONFIG), KEYS.getPrivate()))
        .isEqualTo(spec.credential().secret());
    assertThat(launcher.capabilities().secretEnvironment()).isTrue();
  }

  @Test
  void withoutTheKeyTheEnvironmentIsNotSecretSoTheActionWarns() {
    assertThat(launcher().capabilities().secretEnvironment()).isFalse();
  }

  @Test
  void anUnsealedRegistrationTokenIsRefusedBeforeAnyCall() {
    RunnerLauncher launcher = launcher();

    assertThatThrownBy(() -> launcher.launch(spec(token())))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
          assertThat(e.backendReason()).isEqualTo("UnsealedRegistrationToken");
        })
        .hasMessageContaining("registration: token").hasMessageContaining("seal-public-key")
        .hasMessageContaining(environmentReadPermission()).hasMessageNotContaining("AABBCCDDEEFF");
    assertThat(launchCalls()).isZero();
  }

  @Test
  void aSealedRegistrationTokenIsLaunched() throws Exception {
    RunnerLauncher launcher = launcher("seal-public-key", PUBLIC_PEM);

    launcher.launch(spec(token()));

    Map<String, String> env = firstContainerEnvironment();
    assertThat(env).doesNotContainKey(RunnerEnvironment.RUNNER_TOKEN)
        .containsEntry(RunnerEnvironment.RUNNER_URL, "https://github.com/octo");
    assertThat(open(env.get(RunnerEnvironment.SEALED_RUNNER_TOKEN), KEYS.getPrivate())).isEqualTo(TOKEN);
  }

  @Test
  void aKeyThatIsNotAnRsaPublicKeyIsOneProblemTiedToTheSetting() {
    assertThatThrownBy(() -> launcher("seal-public-key", "ssh-rsa AAAAB3NzaC1yc2E"))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .singleElement().satisfies(p -> {
              assertThat(p.input()).isEqualTo("seal-public-key");
              assertThat(p.message()).startsWith("seal-public-key: it is not a PEM public key").doesNotContain("\n");
            }));
  }

  @Test
  void theSettingIsDeclaredForStart() {
    assertThat(provider().settings()).anySatisfy(d -> {
      assertThat(d.name()).isEqualTo("seal-public-key");
      assertThat(d.secret()).isFalse();
      assertThat(d.readFor(LauncherPurpose.START)).isTrue();
      assertThat(d.readFor(LauncherPurpose.MANAGE)).isFalse();
    });
  }
}
