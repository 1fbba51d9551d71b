package io.oneshot.core;

import io.oneshot.github.GitHubScope;
import io.oneshot.spi.OwnershipTags;
import java.util.Objects;

/**
 * The one derivation of the owner identity ({@link OwnershipTags#OWNER} tag value) from a GitHub
 * scope, shared by the action, the CLI and library callers so that the sweep and the stop step see
 * every batch started for that scope, whoever started it. Pure function: never blocks, idempotent.
 */
public final class FleetOwner {
  private FleetOwner() {}

  /**
   * The owner value for a scope: its API path made tag-safe, for example {@code repos-octo-org-app}
   * for {@code octo-org/app}, {@code orgs-octo} for the organization {@code octo}.
   */
  public static String of(GitHubScope scope) {
    Objects.requireNonNull(scope, "scope");
    return OwnershipTags.safeValue(scope.apiPath());
  }
}
