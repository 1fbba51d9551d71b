package io.oneshot.scaleset.internal;

import io.oneshot.github.ActionsServiceGrant;
import io.oneshot.github.GitHubClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cached Actions-service URL and admin JWT. {@link #current()} redoes the runner-registration
 * exchange when there is none yet or when the token's {@code exp} is within the margin (both URL and
 * token are replaced); a token whose expiry cannot be read is kept until {@link #invalidate} drops it
 * (after a 401). One exchange at a time (synchronised); blocks while exchanging.
 */
public final class AdminConnection {
  /** A usable connection. {@code toString()} hides the token. */
  public record Current(ActionsServiceGrant grant, Optional<Instant> expiresAt) {
    @Override
    public String toString() {
      return "Current[url=" + grant.url() + ", expiresAt=" + expiresAt + "]";
    }
  }

  private final GitHubClient github;
  private final Clock clock;
  private final Duration margin;
  private final Consumer<String> onSecret;
  private Current current;
  private int exchanges;

  public AdminConnection(GitHubClient github, Clock clock, Duration margin, Consumer<String> onSecret) {
    this.github = github;
    this.clock = clock;
    this.margin = margin;
    this.onSecret = onSecret;
  }

  /** A connection valid for at least the margin, exchanging anew when needed. */
  public synchronized Current current() {
    if (current == null || current.expiresAt().map(exp -> !clock.instant().plus(margin).isBefore(exp))
        .orElse(false)) {
      ActionsServiceGrant grant = github.actionsServiceGrant();
      onSecret.accept(grant.token());
      exchanges++;
      current = new Current(grant, Jwts.expiry(grant.token()));
    }
    return current;
  }

  /** Forgets the connection if it still holds {@code token} (the service refused it). */
  public synchronized void invalidate(String token) {
    if (current != null && current.grant().token().equals(token)) {
      current = null;
    }
  }

  /** How many exchanges were made. */
  public synchronized int exchanges() {
    return exchanges;
  }
}
