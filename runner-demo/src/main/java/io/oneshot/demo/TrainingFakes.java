package io.oneshot.demo;

import io.oneshot.fakes.aci.AciTimings;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.cloudrun.CloudRunJobSpec;
import io.oneshot.fakes.cloudrun.CloudRunTimings;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.ecs.EcsTimings;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.fakes.ecs.TaskDefinitionSpec;
import io.oneshot.fakes.github.FakeGitHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -cp oneshot-demo.jar io.oneshot.demo.TrainingFakes DIR [SECONDS]}: the fakes a separate
 * {@code oneshot.jar} process runs against, so that the action image's class-data-sharing archive is trained
 * on the product jar alone (AppCDS needs the same class path at run time) and the demo never enters the
 * image. Starts a fake GitHub and a fake ECS/EC2 (plus Cloud Run and ACI, for the shaded-jar check) on
 * loopback with the system clock and instant lifecycles, writes one environment file per backend into
 * {@code DIR} ({@code ecs.env}, {@code cloudrun.env}, {@code aci.env}: {@code NAME=value} lines for a CLI run
 * in Actions mode, mode start; {@code aci.pem}: the fake ARM's certificate), then {@code DIR/ready}, and serves
 * until killed or for {@code SECONDS} (default 600). Test credentials only; nothing leaves the machine.
 */
public final class TrainingFakes {
  private TrainingFakes() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: TrainingFakes DIR [SECONDS]");
      System.exit(2);
    }
    Path directory = Files.createDirectories(Path.of(args[0]));
    long seconds = args.length == 2 ? Long.parseLong(args[1]) : 600;
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "training-fakes-stop"));
    try (FakeGitHub github = FakeGitHub.builder().clock(Clock.systemUTC()).seed(System.nanoTime()).build();
        FakeEcs ecs = FakeEcs.builder().github(github).seed(System.nanoTime()).timings(EcsTimings.instant()).build();
        FakeCloudRun run = FakeCloudRun.builder().github(github).seed(System.nanoTime()).project("demo-project")
            .region("europe-west1").timings(CloudRunTimings.instant()).loopback(true).build();
        FakeAci aci = FakeAci.builder().github(github).seed(System.nanoTime())
            .timings(new AciTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO)).build()) {
      github.addRepository("octo-org/app");
      ecs.registerTaskDefinition(TaskDefinitionSpec.fargate("dev", "runner", "ghcr.io/oneshot/runner:training"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60001", "vpc-0a1b2c3d", "us-east-1a", Map.of("oneshot", "runners"));
      ecs.addSubnet("subnet-0a1b2c3d4e5f60002", "vpc-0a1b2c3d", "us-east-1b", Map.of("oneshot", "runners"));
      ecs.addSecurityGroup("sg-0a1b2c3d4e5f60003", "runners", "vpc-0a1b2c3d", Map.of("oneshot", "runners"));
      run.addJob(CloudRunJobSpec.runner("gh-runner", "runner", "ghcr.io/oneshot/runner:training"));
      aci.addResourceGroup("ci-runners", "westeurope");

      Map<String, String> common = new LinkedHashMap<>();
      common.put("GITHUB_ACTIONS", "true");
      common.put("GITHUB_REPOSITORY", "octo-org/app");
      common.put("GITHUB_API_URL", github.apiUrl().toString());
      common.put("GITHUB_RUN_ID", "4242");
      common.put("INPUT_TOKEN", github.issueToken());
      common.put("INPUT_NAME", "dev");
      common.put("INPUT_COUNT", "2");
      common.put("INPUT_TIMEOUT", "2m");

      Map<String, String> ecsEnv = new LinkedHashMap<>(common);
      ecsEnv.putAll(Map.of("INPUT_BACKEND", "ecs", "INPUT_REGION", "us-east-1", "INPUT_SUBNETS-TAG", "oneshot:runners",
          "INPUT_SECURITY-GROUPS-TAG", "oneshot:runners", "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL",
          ecs.endpoint().toString(), "AWS_ACCESS_KEY_ID", "AKIDONESHOTTRAINING", "AWS_SECRET_ACCESS_KEY",
          "oneshot-training-not-a-secret", "AWS_EC2_METADATA_DISABLED", "true"));
      // Cloud Run and ACI take their endpoint as a library setting, not an input: the shaded-jar check
      // (RuntimeImageIT) passes ONESHOT_SANDBOX_* on to the backend itself.
      Map<String, String> cloudRunEnv = new LinkedHashMap<>(common);
      cloudRunEnv.putAll(Map.of("INPUT_BACKEND", "cloudrun", "INPUT_PROJECT", "demo-project", "INPUT_REGION",
          "europe-west1", "INPUT_JOB", "gh-runner", "ONESHOT_SANDBOX_ENDPOINT", run.endpoint(),
          "ONESHOT_SANDBOX_PLAINTEXT", "true", "GOOGLE_APPLICATION_CREDENTIALS",
          "/nonexistent/oneshot-training-uses-no-credentials.json"));
      Map<String, String> aciEnv = new LinkedHashMap<>(common);
      aciEnv.putAll(Map.of("INPUT_BACKEND", "aci", "INPUT_SUBSCRIPTION-ID", aci.subscriptionId(),
          "INPUT_RESOURCE-GROUP", "ci-runners", "INPUT_LOCATION", "westeurope", "INPUT_IMAGE",
          "ghcr.io/oneshot/runner:training", "ONESHOT_SANDBOX_ENDPOINT", aci.endpoint().toString(),
          "ONESHOT_SANDBOX_CERTIFICATE", directory.resolve("aci.pem").toAbsolutePath().toString()));

      String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
              aci.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
      write(directory.resolve("aci.pem"), pem);
      write(directory.resolve("ecs.env"), lines(ecsEnv));
      write(directory.resolve("cloudrun.env"), lines(cloudRunEnv));
      write(directory.resolve("aci.env"), lines(aciEnv));
      write(directory.resolve("ready"), "fake GitHub at " + github.apiUrl() + ", fake ECS at " + ecs.endpoint()
          + ", fake Cloud Run at " + run.endpoint() + ", fake ARM at " + aci.endpoint() + "\n");
      System.out.println("training fakes ready in " + directory + " for at most " + seconds + " s");
      stop.await(seconds, TimeUnit.SECONDS);
    }
  }

  /** {@code NAME=value} lines; no value contains a space, quote or newline. */
  private static String lines(Map<String, String> environment) {
    StringBuilder text = new StringBuilder();
    environment.forEach((name, value) -> {
      if (!value.matches("[^\\s'\"\\\\]+")) {
        throw new IllegalStateException("cannot write " + name + " as a plain line");
      }
      text.append(name).append('=').append(value).append('\n');
    });
    return text.toString();
  }

  /** Writes then renames, so a reader never sees half a file. */
  private static void write(Path file, String text) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, text);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
