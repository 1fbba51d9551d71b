package io.oneshot.github;

import java.time.Instant;

/**
 * The primary rate limit as the last response reported it.
 *
 * @param limit requests per window
 * @param remaining requests left in this window
 * @param reset when the window ends
 */
public record RateLimitBudget(int limit, int remaining, Instant reset) {}
