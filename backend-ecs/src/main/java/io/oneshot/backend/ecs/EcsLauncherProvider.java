package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.EcsClientBuilder;

/**
 * The {@code ecs} backend. {@link #create} checks every setting at once, builds one ECS and one EC2
 * client (the SDK's default credential and region chains and its {@code AWS_ENDPOINT_URL*} variables
 * apply unless {@code region} or {@code endpoint} is set), then resolves the runner container and
 * the network ids with read-only calls, so that a wrong task definition or tag fails before anything
 * is created. Blocks during {@code create}; stateless otherwise.
 */
public final class EcsLauncherProvider implements RunnerLauncherProvider {
  private final Consumer<ClientOverrideConfiguration.Builder> sdkTuning;

  /** The provider {@link java.util.ServiceLoader} creates: the SDK's own configuration, untouched. */
  public EcsLauncherProvider() {
    this(configuration -> { });
  }

  /** For tests: adjusts both SDK clients' override configuration (for example faster retries). */
  EcsLauncherProvider(Consumer<ClientOverrideConfiguration.Builder> sdkTuning) {
    this.sdkTuning = sdkTuning;
  }

  @Override
  public String id() {
    return EcsRunnerLauncher.ID;
  }

  @Override
  public java.util.List<io.oneshot.spi.SettingDefinition> settings() {
    return java.util.List.of(); // declared with the per-mode settings (issue 10)
  }

  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    EcsSettings settings = EcsSettings.parse(backendSettings, backendSettings.get("name").orElse(null));
    EcsClientBuilder ecsBuilder = EcsClient.builder().overrideConfiguration(sdkTuning);
    Ec2ClientBuilder ec2Builder = Ec2Client.builder().overrideConfiguration(sdkTuning);
    settings.region().map(Region::of).ifPresent(region -> {
      ecsBuilder.region(region);
      ec2Builder.region(region);
    });
    settings.endpoint().ifPresent(endpoint -> {
      ecsBuilder.endpointOverride(endpoint);
      ec2Builder.endpointOverride(endpoint);
    });
    EcsClient ecs;
    try {
      ecs = ecsBuilder.build();
    } catch (SdkException e) {
      throw new InvalidSettingsException("region is not set and the AWS SDK found none (" + e.getMessage()
          + "); set the region input or AWS_REGION");
    }
    Ec2Client ec2 = ec2Builder.build();
    try {
      String containerName = new ContainerNameResolver(ecs).resolve(settings);
      Optional<EcsNetwork> network = new NetworkResolver(ec2).resolve(settings);
      String region = ecs.serviceClientConfiguration().region().id();
      return new EcsRunnerLauncher(ecs, ec2, settings, containerName, network, region, backendSettings.clock());
    } catch (SdkException e) {
      closeQuietly(ecs, ec2);
      throw resolutionFailure(settings, e);
    } catch (RuntimeException e) {
      closeQuietly(ecs, ec2);
      throw e;
    }
  }

  private static OneshotException resolutionFailure(EcsSettings settings, SdkException e) {
    String code = EcsErrors.code(e);
    if (code.equals("ClientException") || code.equals("InvalidParameterException")) {
      return new InvalidSettingsException("task-definition '" + settings.taskDefinition() + "' could not be read ("
          + code + ": " + e.getMessage() + "); use the family, family:revision or ARN of an existing task definition"
          + " in this region");
    }
    return EcsErrors.callFailure("ecs:DescribeTaskDefinition/ec2:DescribeSubnets/ec2:DescribeSecurityGroups", e);
  }

  private static void closeQuietly(EcsClient ecs, Ec2Client ec2) {
    try {
      ecs.close();
    } finally {
      ec2.close();
    }
  }
}
