package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.InvalidSettingsException;
import io.oneshot.spi.OneshotException;
import io.oneshot.spi.RunnerLauncher;
import io.oneshot.spi.RunnerLauncherProvider;
import io.oneshot.spi.LauncherPurpose;
import io.oneshot.spi.SettingDefinition;
import io.oneshot.spi.SettingProblems;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The {@code ecs} backend. {@link #create} checks every setting at once, builds one ECS and one EC2
 * client (the SDK's default credential and region chains and its {@code AWS_ENDPOINT_URL*} variables
 * apply unless {@code region} or {@code endpoint} is set), then resolves the runner container and
 * the network ids with read-only calls, so that a wrong task definition or tag fails before anything
 * is created. For stop, sweep and status ({@link LauncherPurpose#MANAGE}) it reads only {@code region},
 * {@code cluster} and {@code endpoint}, builds only the ECS client and makes no call. Blocks during
 * {@code create}; stateless otherwise.
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
  public List<SettingDefinition> settings() {
    return EcsSettings.DEFINITIONS;
  }

  @Override
  public RunnerLauncher create(BackendSettings backendSettings) {
    if (backendSettings.purpose() == LauncherPurpose.MANAGE) {
      SettingProblems problems = new SettingProblems();
      EcsScope scope = EcsScope.read(backendSettings, problems);
      problems.throwIfAny();
      EcsClient ecs = ecsClient(scope);
      return new EcsRunnerLauncher(ecs, scope, Optional.empty(), ecs.serviceClientConfiguration().region().id(),
          backendSettings.clock());
    }
    EcsSettings settings = EcsSettings.parse(backendSettings);
    boolean taskDefinitionDefaulted = EcsSettings.taskDefinitionIsDefaulted(backendSettings);
    EcsClient ecs = ecsClient(settings.scope());
    Ec2Client ec2 = configure(Ec2Client.builder().overrideConfiguration(sdkTuning), settings.scope()).build();
    try (ec2) {
      String containerName = new ContainerNameResolver(ecs).resolve(settings);
      Optional<EcsNetwork> network = new NetworkResolver(ec2).resolve(settings);
      String region = ecs.serviceClientConfiguration().region().id();
      return new EcsRunnerLauncher(ecs, settings.scope(),
          Optional.of(new EcsRunnerLauncher.LaunchConfig(settings, containerName, network)), region,
          backendSettings.clock());
    } catch (SdkException e) {
      ecs.close();
      throw resolutionFailure(settings, taskDefinitionDefaulted, e);
    } catch (RuntimeException e) {
      ecs.close();
      throw e;
    }
  }

  /** The ECS client for the scope; its region must be known by now (setting or the SDK's chain). */
  private EcsClient ecsClient(EcsScope scope) {
    try {
      return configure(EcsClient.builder().overrideConfiguration(sdkTuning), scope).build();
    } catch (SdkException e) {
      throw InvalidSettingsException.of(EcsSettings.REGION, "region is not set and the AWS SDK found none ("
          + e.getMessage() + "); set the region input or AWS_REGION");
    }
  }

  private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, EcsScope scope) {
    scope.region().map(Region::of).ifPresent(builder::region);
    scope.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  private static OneshotException resolutionFailure(EcsSettings settings, boolean defaulted, SdkException e) {
    String code = EcsErrors.code(e);
    if (code.equals("ClientException") || code.equals("InvalidParameterException")) {
      return InvalidSettingsException.of(EcsSettings.TASK_DEFINITION, "task-definition "
          + EcsSettings.quotedTaskDefinition(settings.taskDefinition(), defaulted) + " could not be read (" + code
          + ": " + e.getMessage() + "); use the family, family:revision or ARN of an existing task definition in this"
          + " region");
    }
    return EcsErrors.callFailure("ecs:DescribeTaskDefinition/ec2:DescribeSubnets/ec2:DescribeSecurityGroups", e);
  }
}
