package io.oneshot.spi;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A container a backend started: enough to describe, terminate and show it.
 *
 * @param backendId the provider id, for example {@code ecs}
 * @param resourceId the cloud's id of the container (task ARN, execution name, container group id)
 * @param region the region or location, empty when the backend has none
 * @param privateIp the container's private IP when known
 * @param consoleUrl a link to the container in the cloud's console when there is one
 * @param launchedAt when the cloud created it
 * @param tags the ownership tags as the cloud holds them
 */
public record LaunchedRunner(
    String backendId,
    String resourceId,
    String region,
    Optional<String> privateIp,
    Optional<URI> consoleUrl,
    Instant launchedAt,
    Map<String, String> tags) {

  public LaunchedRunner {
    Objects.requireNonNull(backendId, "backendId");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(privateIp, "privateIp");
    Objects.requireNonNull(consoleUrl, "consoleUrl");
    Objects.requireNonNull(launchedAt, "launchedAt");
    tags = Map.copyOf(tags);
  }

  /** The value of one tag. */
  public Optional<String> tag(String name) {
    return Optional.ofNullable(tags.get(name));
  }

  /** The same runner with a private IP learned later. */
  public LaunchedRunner withPrivateIp(String ip) {
    return new LaunchedRunner(backendId, resourceId, region, Optional.of(ip), consoleUrl, launchedAt, tags);
  }
}
