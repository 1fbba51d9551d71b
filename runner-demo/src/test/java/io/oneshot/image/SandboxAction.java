package io.oneshot.image;

import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import io.grpc.ManagedChannelBuilder;
import io.oneshot.backend.aci.AciLauncherProvider;
import io.oneshot.backend.cloudrun.CloudRunLauncherProvider;
import io.oneshot.core.FleetOptions;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Runs the action's start then stop in Actions mode from {@code oneshot.jar}'s classes, for the backends a
 * separate process cannot point at a fake through the environment (Cloud Run and ACI take their endpoint as a
 * library setting): {@code java -cp oneshot.jar:test-classes io.oneshot.image.SandboxAction} with the
 * environment {@code TrainingFakes} wrote. Uses only classes the shaded jar must carry, so a class the shading
 * dropped fails here. Exit code 0 when both steps succeeded.
 */
public final class SandboxAction {
  private SandboxAction() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> environment = new HashMap<>(System.getenv());
    List<RunnerLauncherProvider> backends = backends(environment);
    int started = run(environment, backends);
    if (started != OneshotRun.OK) {
      System.exit(started);
    }
    String label = Files.readAllLines(Path.of(environment.get("GITHUB_OUTPUT"))).stream()
        .filter(line -> line.startsWith("runner_id=")).reduce((first, second) -> second).orElseThrow()
        .substring("runner_id=".length());
    environment.put("INPUT_MODE", "stop");
    environment.put("INPUT_RUNNER-ID", label);
    System.exit(run(environment, backends));
  }

  /** The real providers, given clients pointed at the sandbox endpoint the environment names. */
  private static List<RunnerLauncherProvider> backends(Map<String, String> environment) throws Exception {
    String endpoint = environment.get("ONESHOT_SANDBOX_ENDPOINT");
    if (environment.containsKey("ONESHOT_SANDBOX_CERTIFICATE")) {
      try (InputStream pem = Files.newInputStream(Path.of(environment.get("ONESHOT_SANDBOX_CERTIFICATE")))) {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
        TokenCredential token = request -> Mono.just(new AccessToken("sandbox-token", OffsetDateTime.now().plusHours(1)));
        return List.of(new AciLauncherProvider(builder -> builder.endpoint(URI.create(endpoint))
            .trustedCertificate(certificate).credential(token)));
      }
    }
    if (environment.containsKey("ONESHOT_SANDBOX_PLAINTEXT")) {
      return List.of(new CloudRunLauncherProvider(builder -> builder.credentialsProvider(NoCredentialsProvider.create())
          .transportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(endpoint)
              .setChannelConfigurator(ManagedChannelBuilder::usePlaintext).build())));
    }
    return RunContext.classPathBackends();
  }

  private static int run(Map<String, String> environment, List<RunnerLauncherProvider> backends) {
    Map<String, String> inputs = new HashMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith("INPUT_") && !value.isBlank()) {
        inputs.put(name.substring("INPUT_".length()).toLowerCase(Locale.ROOT), value);
      }
    });
    return new OneshotRun(new RunContext(environment, System.out, System.err, true, FleetOptions.defaults(), backends))
        .run(inputs);
  }
}
