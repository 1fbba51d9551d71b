package io.oneshot.spi;

/**
 * What a launcher is created for, so that a provider checks and resolves only what that work needs.
 * Values only.
 */
public enum LauncherPurpose {
  /**
   * Launching runners ({@code start}): every launch setting is checked and resolved (ECS task
   * definition and network, the Cloud Run job, the ACI image and location) before anything is created.
   */
  START,
  /**
   * Finding, describing and stopping runners that exist ({@code stop}, {@code sweep}, {@code status}):
   * only what identifies the cloud scope is needed (ECS region and cluster, Cloud Run project, region
   * and job, ACI subscription and resource group); no lookups. Such a launcher refuses to launch.
   */
  MANAGE
}
