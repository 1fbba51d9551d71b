package io.oneshot.spi;

/** The portable lifecycle state of a runner's container. */
public enum ContainerState {
  /** Accepted by the cloud, not yet running (provisioning, pulling the image). */
  PENDING,
  /** The container is running. */
  RUNNING,
  /** The container has stopped (or is stopping) and will not run again. */
  STOPPED,
  /** The cloud no longer knows the container. */
  GONE,
  /** The backend reported a status this version of oneshot does not know; the raw status says which. */
  UNRECOGNIZED;

  /** Whether the container can no longer run a job. */
  public boolean isFinal() {
    return this == STOPPED || this == GONE;
  }
}
