package io.oneshot.backend.ecs;

import io.oneshot.spi.BackendSettings;
import io.oneshot.spi.SettingProblems;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What identifies the ECS scope a launcher works in, the only settings a
 * {@link io.oneshot.spi.LauncherPurpose#MANAGE} launcher (stop, sweep, status) reads. Values only;
 * nothing here calls AWS.
 *
 * @param region the AWS region; empty to use the SDK's region chain
 * @param cluster the cluster name or ARN
 * @param endpoint an endpoint override for ECS and EC2 (tests, LocalStack)
 */
public record EcsScope(Optional<String> region, String cluster, Optional<URI> endpoint) {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern CLUSTER = Pattern.compile(
      "[A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[^:]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}");

  /** Reads {@code region}, {@code cluster} and {@code endpoint}, adding what is wrong to {@code problems}. */
  static EcsScope read(BackendSettings settings, SettingProblems problems) {
    Optional<String> region = settings.get(EcsSettings.REGION);
    region.filter(r -> !REGION.matcher(r).matches()).ifPresent(r -> problems.add(EcsSettings.REGION,
        "region '" + r + "' is not an AWS region; use a code such as us-east-1"));
    String cluster = settings.getOrDefault(EcsSettings.CLUSTER, "default");
    if (!CLUSTER.matcher(cluster).matches()) {
      problems.add(EcsSettings.CLUSTER, "cluster '" + cluster + "' is not a cluster name or ARN; use letters, digits,"
          + " '-' and '_' (up to 255) or arn:aws:ecs:REGION:ACCOUNT:cluster/NAME");
    }
    Optional<URI> endpoint = Optional.empty();
    Optional<String> endpointText = settings.get(EcsSettings.ENDPOINT);
    if (endpointText.isPresent()) {
      try {
        URI uri = URI.create(endpointText.get());
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        endpoint = Optional.of(uri);
      } catch (IllegalArgumentException e) {
        problems.add(EcsSettings.ENDPOINT, "endpoint '" + endpointText.get() + "' is not a URL; use http(s)://HOST:PORT");
      }
    }
    return new EcsScope(region, cluster, endpoint);
  }
}
