package io.oneshot.spi;

/**
 * What a backend can do, so core adapts without knowing the cloud.
 *
 * @param capacityOptions how many capacity options the backend falls back through (for example 2 for
 *     {@code FARGATE_SPOT,FARGATE}); {@link LaunchSpec#capacityOption()} indexes them
 * @param maxEnvironmentChars the most characters the launch environment may take, 0 when unbounded
 * @param secretEnvironment whether the credential is stored so that it cannot be read back
 * @param reportsPrivateIp whether {@link LaunchedRunner#privateIp()} gets filled
 */
public record Capabilities(
    int capacityOptions, int maxEnvironmentChars, boolean secretEnvironment, boolean reportsPrivateIp) {

  public Capabilities {
    if (capacityOptions < 1) {
      throw new IllegalArgumentException("capacityOptions must be at least 1, was " + capacityOptions);
    }
    if (maxEnvironmentChars < 0) {
      throw new IllegalArgumentException("maxEnvironmentChars must be >= 0, was " + maxEnvironmentChars);
    }
  }
}
