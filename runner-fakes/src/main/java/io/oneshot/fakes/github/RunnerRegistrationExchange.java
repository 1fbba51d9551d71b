package io.oneshot.fakes.github;

/**
 * What answers GitHub's {@code POST /actions/runner-registration} once {@link FakeGitHub} has checked the
 * request (RemoteAuth registration token valid for the scope, body {@code {url, runner_event:"register"}}):
 * normally the fake scale-set service, which hands out its URL and an admin token. Called on the fake's
 * server threads; implementations must be thread-safe.
 */
@FunctionalInterface
public interface RunnerRegistrationExchange {
  /** The answer for a scope: a status, and for 2xx the Actions-service URL and admin token. */
  record Answer(int status, String url, String token) {
    @Override
    public String toString() {
      return "Answer[status=" + status + ", url=" + url + ", token=***]";
    }
  }

  /** Answers the exchange for {@code scopeKey} (e.g. {@code orgs/octo}). */
  Answer exchange(String scopeKey);
}
