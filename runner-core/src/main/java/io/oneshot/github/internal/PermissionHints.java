package io.oneshot.github.internal;

import io.oneshot.github.GitHubScope;

/**
 * Says which credential, scope or permission is probably missing when GitHub answers 401, 403 or 404
 * to a runner or App call. Stateless.
 */
public final class PermissionHints {
  private PermissionHints() {}

  /** A hint for that status on that scope; empty for other statuses. */
  public static String forStatus(int status, GitHubScope scope, String operation) {
    if (status == 401) {
      return "GitHub rejected the credentials: the token is wrong, expired or revoked, or (for an App)"
          + " app-id and app-private-key do not belong together";
    }
    if (operation.startsWith("app-")) {
      return status == 404
          ? "the GitHub App is not installed on " + scope.describe()
              + ", or app-installation-id is wrong; install the App there or pass the right installation id"
          : "the GitHub App may not act on " + scope.describe() + "; check its permissions and installation";
    }
    String permission;
    if (scope instanceof GitHubScope.Repository) {
      permission = "admin access to the repository: a classic token with the 'repo' scope,"
          + " or a fine-grained token or App with the repository permission 'Administration: read and write'";
    } else if (scope instanceof GitHubScope.Organization) {
      permission = "admin rights on the organization: a classic token with 'admin:org',"
          + " or a fine-grained token or App with the organization permission 'Self-hosted runners: read and write'";
    } else {
      permission = "a classic token with 'manage_runners:enterprise' from an enterprise owner"
          + " (GitHub Apps cannot manage enterprise runners)";
    }
    return status == 404
        ? scope.describe() + " was not found or is not visible to this credential; it needs " + permission
        : "the credential lacks " + permission;
  }
}
