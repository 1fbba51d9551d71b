package io.oneshot.backend.aci;

/**
 * The tags the ACI backend adds to each container group besides the ownership tags
 * ({@link io.oneshot.spi.OwnershipTags}).
 */
public final class AciTags {
  /** The launch's idempotency key: a group with this name and key is the same launch. */
  public static final String IDEMPOTENCY_KEY = "oneshot-idempotency-key";
  /** The runner's exact name (the group name may be a mapped form of it). */
  public static final String RUNNER_NAME = "oneshot-runner-name";
  /** Epoch second of the launch, as the backend's clock saw it. */
  public static final String LAUNCHED = "oneshot-launched";

  private AciTags() {}
}
