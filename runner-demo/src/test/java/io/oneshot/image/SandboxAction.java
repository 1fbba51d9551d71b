package io.oneshot.image;

import io.oneshot.action.OneshotRun;
import io.oneshot.action.RunContext;
import io.oneshot.backend.aci.AciLauncherProvider;
import io.oneshot.core.FleetOptions;
import io.oneshot.spi.RunnerLauncherProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

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
    Map<String, String> extra = new HashMap<>();
    extra.put("endpoint", environment.get("ONESHOT_SANDBOX_ENDPOINT"));
    if (environment.containsKey("ONESHOT_SANDBOX_PLAINTEXT")) {
      extra.put("plaintext", environment.get("ONESHOT_SANDBOX_PLAINTEXT"));
    }
    Map<String, RunnerLauncherProvider> providers = new HashMap<>();
    if (environment.containsKey("ONESHOT_SANDBOX_CERTIFICATE")) {
      try (InputStream pem = Files.newInputStream(Path.of(environment.get("ONESHOT_SANDBOX_CERTIFICATE")))) {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
        providers.put("aci", AciLauncherProvider.forSandbox(certificate));
      }
    }
    int started = run(environment, extra, providers);
    if (started != OneshotRun.OK) {
      System.exit(started);
    }
    String label = Files.readAllLines(Path.of(environment.get("GITHUB_OUTPUT"))).stream()
        .filter(line -> line.startsWith("runner_id=")).reduce((first, second) -> second).orElseThrow()
        .substring("runner_id=".length());
    environment.put("INPUT_MODE", "stop");
    environment.put("INPUT_RUNNER-ID", label);
    System.exit(run(environment, extra, providers));
  }

  private static int run(Map<String, String> environment, Map<String, String> extra,
      Map<String, RunnerLauncherProvider> providers) {
    Map<String, String> inputs = new HashMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith("INPUT_") && !value.isBlank()) {
        inputs.put(name.substring("INPUT_".length()).toLowerCase(Locale.ROOT), value);
      }
    });
    return new OneshotRun(new RunContext(environment, System.out, System.err, true, extra, FleetOptions.defaults(),
        providers)).run(inputs);
  }
}
