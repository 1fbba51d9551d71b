package io.oneshot.core;

import io.oneshot.github.GitHubScope;
import io.oneshot.spi.OwnershipTags;
import io.oneshot.spi.RunnerLauncher;
import java.util.Objects;

/**
 * The one derivation of the owner identity ({@link OwnershipTags#OWNER} tag value, and the
 * {@link RunnerLabels#ownerLabel registration label}) from a GitHub scope and the launcher's own scope,
 * shared by {@link RunnerFleet}, the action, the CLI and library callers: batches started for one
 * GitHub scope on one backend scope (one ECS cluster in one region, one Cloud Run job, one ACI resource
 * group) share an owner, and a sweep or stop for any other pair never touches them. Pure functions:
 * never block, idempotent.
 */
public final class FleetOwner {
  private FleetOwner() {}

  /**
   * The exact owner identity: {@code <GitHub scope API path>@<launcher scope key>}, for example
   * {@code repos/octo-org/app@ecs/us-east-1/runners}.
   */
  public static String identity(GitHubScope scope, RunnerLauncher launcher) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(launcher, "launcher");
    return scope.apiPath() + "@" + launcher.scopeKey();
  }

  /**
   * The owner value for a GitHub scope on a launcher: the {@link #identity} as an
   * {@link OwnershipTags#uniqueValue}, tag-safe on every cloud and collision-free, for example
   * {@code repos-octo-org-app-ecs-us-east-1-runners-<10 hex>}.
   */
  public static String of(GitHubScope scope, RunnerLauncher launcher) {
    return OwnershipTags.uniqueValue(identity(scope, launcher));
  }

  /**
   * The owner value of the first versions: the GitHub scope's API path made tag-safe, shared by every
   * backend and cluster and open to normalisation collisions ({@code a.b} = {@code a-b}).
   *
   * @deprecated a sweep or stop under this owner judges runners of every backend scope the GitHub scope
   *     has; use {@link #of(GitHubScope, RunnerLauncher)} or {@link RunnerFleet#owner()}
   */
  @Deprecated
  public static String of(GitHubScope scope) {
    Objects.requireNonNull(scope, "scope");
    return OwnershipTags.safeValue(scope.apiPath());
  }
}
