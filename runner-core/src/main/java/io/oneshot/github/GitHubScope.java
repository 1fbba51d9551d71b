package io.oneshot.github;

import io.oneshot.spi.InvalidSettingsException;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where runners are registered: a repository, an organization or an enterprise. Values only; parsing
 * rejects anything GitHub would not accept as an owner, repository or enterprise slug.
 */
public sealed interface GitHubScope {

  /** GitHub owner names: letters, digits and inner hyphens, at most 39 characters. */
  Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
  /** GitHub repository names: letters, digits, {@code .}, {@code _} and {@code -}, at most 100. */
  Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  /** Enterprise slugs: letters, digits and hyphens. */
  Pattern ENTERPRISE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?");

  /** The path under the API root, for example {@code repos/octo/app}, without slashes at either end. */
  String apiPath();

  /** The URL {@code config.sh --url} takes: the server URL plus the owner path. */
  URI registrationUrl(URI serverUrl);

  /** A short human description for messages, for example {@code repository octo/app}. */
  String describe();

  /**
   * Parses the action's {@code context}: {@code owner/repo} for a repository, {@code owner} for an
   * organization.
   *
   * @throws InvalidSettingsException naming the input and the accepted forms
   */
  static GitHubScope parse(String context) {
    String value = context == null ? "" : context.trim();
    int slash = value.indexOf('/');
    if (slash < 0 && OWNER.matcher(value).matches()) {
      return new Organization(value);
    }
    if (slash > 0 && slash == value.lastIndexOf('/')) {
      String owner = value.substring(0, slash);
      String repo = value.substring(slash + 1);
      if (OWNER.matcher(owner).matches() && REPOSITORY.matcher(repo).matches() && !repo.equals(".")
          && !repo.equals("..")) {
        return new Repository(owner, repo);
      }
    }
    throw new InvalidSettingsException("context '" + value + "' is not a GitHub repository or organization;"
        + " use owner/repo for a repository runner or owner for an organization runner");
  }

  /** A repository scope. */
  record Repository(String owner, String repo) implements GitHubScope {
    public Repository {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(repo, "repo");
    }

    @Override
    public String apiPath() {
      return "repos/" + owner + "/" + repo;
    }

    @Override
    public URI registrationUrl(URI serverUrl) {
      return URI.create(stripSlash(serverUrl) + "/" + owner + "/" + repo);
    }

    @Override
    public String describe() {
      return "repository " + owner + "/" + repo;
    }
  }

  /** An organization scope. */
  record Organization(String org) implements GitHubScope {
    public Organization {
      Objects.requireNonNull(org, "org");
    }

    @Override
    public String apiPath() {
      return "orgs/" + org;
    }

    @Override
    public URI registrationUrl(URI serverUrl) {
      return URI.create(stripSlash(serverUrl) + "/" + org);
    }

    @Override
    public String describe() {
      return "organization " + org;
    }
  }

  /** An enterprise scope (token auth only: GitHub Apps cannot manage enterprise runners). */
  record Enterprise(String slug) implements GitHubScope {
    public Enterprise {
      Objects.requireNonNull(slug, "slug");
      if (!ENTERPRISE.matcher(slug).matches()) {
        throw new InvalidSettingsException("enterprise '" + slug + "' is not an enterprise slug;"
            + " use the slug from https://github.com/enterprises/<slug>");
      }
    }

    @Override
    public String apiPath() {
      return "enterprises/" + slug;
    }

    @Override
    public URI registrationUrl(URI serverUrl) {
      return URI.create(stripSlash(serverUrl) + "/enterprises/" + slug);
    }

    @Override
    public String describe() {
      return "enterprise " + slug;
    }
  }

  private static String stripSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
