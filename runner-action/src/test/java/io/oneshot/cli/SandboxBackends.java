package io.oneshot.cli;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import io.grpc.ManagedChannelBuilder;
import io.oneshot.backend.aci.AciLauncherProvider;
import io.oneshot.backend.cloudrun.CloudRunLauncherProvider;
import io.oneshot.backend.ecs.EcsLauncherProvider;
import io.oneshot.fakes.aci.FakeAci;
import io.oneshot.fakes.cloudrun.FakeCloudRun;
import io.oneshot.fakes.ecs.FakeEcs;
import io.oneshot.spi.RunnerLauncherProvider;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The real backend providers with their SDK clients pointed at the fakes, through the constructor every
 * provider offers for the caller's own clients: what the action's tests run instead of the class path's.
 */
final class SandboxBackends {
  private SandboxBackends() {}

  /** Every backend, ECS pointed at this fake (the others unreachable: for tests that stay on ECS). */
  static List<RunnerLauncherProvider> ecs(FakeEcs ecs) {
    return List.of(new EcsLauncherProvider(builder -> builder.endpoint(ecs.endpoint())), new CloudRunLauncherProvider(),
        new AciLauncherProvider());
  }

  /** Cloud Run over plaintext gRPC to the fake on loopback, without credentials. */
  static List<RunnerLauncherProvider> cloudRun(FakeCloudRun run) {
    return List.of(new CloudRunLauncherProvider(builder -> builder.credentialsProvider(NoCredentialsProvider.create())
        .transportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(run.endpoint())
            .setChannelConfigurator(ManagedChannelBuilder::usePlaintext).build())));
  }

  /** ACI over https to the fake, trusting its certificate alone, with a fixed token. */
  static List<RunnerLauncherProvider> aci(FakeAci aci) {
    TokenCredential token = request -> Mono.just(new AccessToken("sandbox-token", OffsetDateTime.now().plusHours(1)));
    return List.of(new AciLauncherProvider(builder -> builder.endpoint(aci.endpoint())
        .trustedCertificate(aci.certificate()).credential(token)
        .retryPolicy(new RetryPolicy(new FixedDelay(3, Duration.ofMillis(50))))));
  }
}
