package io.oneshot.fakes.github.internal;

import java.util.Set;

/**
 * Who a request authenticated as. Token-holding variants never show the token in {@code toString()}.
 */
public sealed interface Principal {
  /** The rate-limit bucket key: the credential itself, {@code app/<id>} for App JWTs, or an IP. */
  String rateKey();

  /** The words GitHub uses in "API rate limit exceeded for ...". */
  String rateDescription();

  /** The primary rate limit per hour. */
  default int rateLimit() {
    return 5000;
  }

  /** A personal access token; {@code scopes} empty means every scope. */
  record Pat(String token, Set<String> scopes) implements Principal {
    public Pat {
      scopes = Set.copyOf(scopes);
    }

    @Override
    public String rateKey() {
      return token;
    }

    @Override
    public String rateDescription() {
      return "user ID 1";
    }

    @Override
    public String toString() {
      return "Pat[***]";
    }
  }

  /** An installation access token. */
  record Installation(String token, long installationId, String scopeKey) implements Principal {
    @Override
    public String rateKey() {
      return token;
    }

    @Override
    public String rateDescription() {
      return "installation ID " + installationId;
    }

    @Override
    public String toString() {
      return "Installation[id=" + installationId + ", token=***]";
    }
  }

  /** A GitHub App authenticated with a valid JWT. */
  record App(long appId) implements Principal {
    @Override
    public String rateKey() {
      return "app/" + appId;
    }

    @Override
    public String rateDescription() {
      return "app ID " + appId;
    }
  }

  /** No credentials. */
  record Anonymous(String address) implements Principal {
    @Override
    public String rateKey() {
      return address;
    }

    @Override
    public String rateDescription() {
      return address;
    }

    @Override
    public int rateLimit() {
      return 60;
    }
  }
}
