package io.oneshot.action;

import io.oneshot.github.GitHubCredentials;
import io.oneshot.github.GitHubScope;
import java.net.URI;

/** Where and as whom the run talks to GitHub. {@code toString()} shows no secret (the credentials hide theirs). */
public record GitHubSettings(GitHubScope scope, GitHubCredentials credentials, URI apiUrl) {}
