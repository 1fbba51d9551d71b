package io.oneshot.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oneshot.github.GitHubClient;
import io.oneshot.github.JitConfigRequest;
import io.oneshot.spi.FailureKind;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.LaunchFailedException;
import io.oneshot.spi.LaunchSpec;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerCredential;
import io.oneshot.spi.RunnerEnvironment;
import io.oneshot.testkit.GitHubOrg;
import io.oneshot.fakes.ecs.FakeTask;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * seal-public-key on ECS: what RunTask sends (and DescribeTasks would show) carries the credential only sealed,
 * the launcher reports a secret environment, and a registration token is refused unsealed.
 */
class EcsSealingTest {
  static KeyPair keys;
  static String publicPem;

  private final GitHubOrg org = new GitHubOrg("octo", 1);
  private final GitHubClient client = org.client();
  private final EcsFixture fixture = new EcsFixture(org.github(), org.clock());

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    publicPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @AfterEach
  void close() {
    try {
      fixture.close();
    } finally {
      org.close();
    }
  }

  static String open(String sealed, PrivateKey key) throws Exception {
    RecipientInformation recipient = new CMSAuthEnvelopedData(Base64.getDecoder().decode(sealed)).getRecipientInfos()
        .getRecipients().iterator().next();
    return new String(recipient.getContent(new JceKeyTransAuthEnvelopedRecipient(key)
        .setProvider(new BouncyCastleProvider())), StandardCharsets.UTF_8);
  }

  private LaunchSpec spec(RunnerCredential credential) {
    return new LaunchSpec("ecs-00000001", List.of("self-hosted", "ecs"), credential, Map.of(), Duration.ofHours(1),
        Duration.ofMinutes(10), Map.of(OwnershipTags.OWNER, "team", OwnershipTags.RUNNER, "ecs-00000001"),
        "ecs-00000001-1", 0);
  }

  private LaunchSpec jitSpec() {
    return spec(new RunnerCredential.JitConfig(client.generateJitConfig(
        new JitConfigRequest("ecs-00000001", 1, List.of("self-hosted", "ecs"), "_work")).encodedJitConfig()));
  }

  private static RunnerCredential.RegistrationToken token() {
    return new RunnerCredential.RegistrationToken("AABBCCDDEEFFGGHHIIJJKKLLMMNN1",
        URI.create("https://github.com/octo"), "Default", "_work");
  }

  @Test
  void theTaskCarriesOnlyTheSealedJitConfigWhichThePrivateKeyOpens() throws Exception {
    EcsRunnerLauncher launcher = fixture.launcher("seal-public-key", publicPem);
    LaunchSpec spec = jitSpec();

    launcher.launch(spec);

    FakeTask task = fixture.ecs.tasks().get(0);
    assertThat(task.environment()).doesNotContainKey(RunnerEnvironment.JIT_CONFIG)
        .containsKey(RunnerEnvironment.SEALED_JIT_CONFIG).containsEntry("ONESHOT_IDLE_TIMEOUT", "600s");
    assertThat(task.environment().values()).noneMatch(v -> v.contains(spec.credential().secret()));
    assertThat(open(task.environment().get(RunnerEnvironment.SEALED_JIT_CONFIG), keys.getPrivate()))
        .isEqualTo(spec.credential().secret());
    assertThat(launcher.capabilities().secretEnvironment()).isTrue();
  }

  @Test
  void withoutTheKeyTheEnvironmentIsNotSecretSoTheActionWarns() {
    assertThat(fixture.launcher().capabilities().secretEnvironment()).isFalse();
  }

  @Test
  void anUnsealedRegistrationTokenIsRefusedBeforeAnyCall() {
    EcsRunnerLauncher launcher = fixture.launcher();

    assertThatThrownBy(() -> launcher.launch(spec(token())))
        .isInstanceOfSatisfying(LaunchFailedException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CONFIGURATION);
          assertThat(e.backendReason()).isEqualTo("UnsealedRegistrationToken");
        })
        .hasMessageContaining("registration: token").hasMessageContaining("seal-public-key")
        .hasMessageContaining("ecs:DescribeTasks").hasMessageNotContaining("AABBCCDDEEFF");
    assertThat(fixture.ecs.callCount("RunTask")).isZero();
  }

  @Test
  void aSealedRegistrationTokenIsLaunched() throws Exception {
    EcsRunnerLauncher launcher = fixture.launcher("seal-public-key", publicPem);

    launcher.launch(spec(token()));

    Map<String, String> env = fixture.ecs.tasks().get(0).environment();
    assertThat(env).doesNotContainKey(RunnerEnvironment.RUNNER_TOKEN)
        .containsEntry(RunnerEnvironment.RUNNER_URL, "https://github.com/octo");
    assertThat(open(env.get(RunnerEnvironment.SEALED_RUNNER_TOKEN), keys.getPrivate()))
        .isEqualTo("AABBCCDDEEFFGGHHIIJJKKLLMMNN1");
  }

  @Test
  void aKeyThatIsNotAnRsaPublicKeyIsOneProblemTiedToTheSetting() {
    assertThatThrownBy(() -> fixture.launcher("seal-public-key", "ssh-rsa AAAAB3NzaC1yc2E"))
        .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.details())
            .singleElement().satisfies(p -> {
              assertThat(p.input()).isEqualTo("seal-public-key");
              assertThat(p.message()).startsWith("seal-public-key: it is not a PEM public key").doesNotContain("\n");
            }));
  }

  @Test
  void theSettingIsDeclaredForStart() {
    assertThat(new EcsLauncherProvider().settings()).anySatisfy(d -> {
      assertThat(d.name()).isEqualTo("seal-public-key");
      assertThat(d.secret()).isFalse();
      assertThat(d.readFor(io.oneshot.spi.LauncherPurpose.START)).isTrue();
      assertThat(d.readFor(io.oneshot.spi.LauncherPurpose.MANAGE)).isFalse();
    });
  }
}
