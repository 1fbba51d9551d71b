package io.oneshot.fakes.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The behaviour of each GitHub operation the fake serves, on top of {@link GitHubState}. Requests reach
 * it already authenticated, rate-limited and checked against the contract. Thread-safe (stateless
 * itself).
 */
public final class Endpoints {
  /** GitHub's {@code per_page} default and maximum. */
  public static final int DEFAULT_PER_PAGE = 30;
  public static final int MAX_PER_PAGE = 100;

  private static final DateTimeFormatter OFFSET_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

  /**
   * One authenticated, contract-valid request.
   *
   * @param operationId the operation
   * @param rawPath the path as received, with the API prefix (for pagination links)
   * @param pathParams decoded path parameters
   * @param query query parameters
   * @param body the JSON body, or a missing node
   * @param principal who is calling
   */
  public record Call(String operationId, String rawPath, Map<String, String> pathParams,
      Map<String, List<String>> query, JsonNode body, Principal principal) {
    String param(String name) {
      return pathParams.get(name);
    }

    String queryValue(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final GitHubState state;
  private final RateLimiter rateLimiter;
  private final Clock clock;
  private final String origin;
  private final String apiUrl;
  private final String serverUrl;

  /**
   * @param origin {@code http://127.0.0.1:PORT}
   * @param apiUrl the API base URL (origin plus prefix)
   * @param serverUrl the web base URL
   */
  public Endpoints(GitHubState state, RateLimiter rateLimiter, Clock clock, String origin, String apiUrl,
      String serverUrl) {
    this.state = state;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
    this.origin = origin;
    this.apiUrl = apiUrl;
    this.serverUrl = serverUrl;
  }

  /** The scope key a runner path addresses, e.g. {@code repos/octo/app}. */
  public static String scopeKey(Map<String, String> pathParams) {
    if (pathParams.containsKey("owner")) {
      return "repos/" + pathParams.get("owner") + "/" + pathParams.get("repo");
    }
    if (pathParams.containsKey("org")) {
      return "orgs/" + pathParams.get("org");
    }
    return "enterprises/" + pathParams.get("enterprise");
  }

  /** Answers a call; throws {@link ApiError} for GitHub's error answers. */
  public ApiResponse handle(Call call) {
    String op = call.operationId();
    switch (op) {
      case "rate-limit/get":
        return rateLimit(call);
      case "apps/create-installation-access-token":
        return createInstallationToken(call);
      case "apps/get-repo-installation":
      case "apps/get-org-installation":
        return getInstallation(call);
      default:
        break;
    }
    String scopeKey = scopeKey(call.pathParams());
    state.authorize(call.principal(), scopeKey);
    if (op.contains("create-registration-token-for-")) {
      return runnerToken(state.issueRunnerToken(scopeKey, true));
    }
    if (op.contains("create-remove-token-for-")) {
      return runnerToken(state.issueRunnerToken(scopeKey, false));
    }
    if (op.contains("generate-runner-jitconfig-for-")) {
      return generateJit(call, scopeKey);
    }
    if (op.contains("list-self-hosted-runners-for-")) {
      return listRunners(call, scopeKey);
    }
    if (op.contains("get-self-hosted-runner-for-")) {
      return ApiResponse.of(200, runnerJson(state.runner(scopeKey, runnerId(call))));
    }
    if (op.contains("delete-self-hosted-runner-from-")) {
      state.deleteRunner(scopeKey, runnerId(call));
      return ApiResponse.noContent();
    }
    if (op.contains("list-labels-for-self-hosted-runner-for-")) {
      return labels(state.labels(scopeKey, runnerId(call)));
    }
    if (op.contains("add-custom-labels-to-self-hosted-runner-for-")) {
      return labels(state.addLabels(scopeKey, runnerId(call), strings(call.body().path("labels"))));
    }
    if (op.contains("set-custom-labels-for-self-hosted-runner-for-")) {
      return labels(state.setLabels(scopeKey, runnerId(call), strings(call.body().path("labels"))));
    }
    if (op.contains("remove-all-custom-labels-from-self-hosted-runner-for-")) {
      return labels(state.setLabels(scopeKey, runnerId(call), List.of()));
    }
    if (op.contains("remove-custom-label-from-self-hosted-runner-for-")) {
      return labels(state.removeLabel(scopeKey, runnerId(call), call.param("name")));
    }
    if (op.contains("list-runner-applications-for-")) {
      return downloads();
    }
    if (op.contains("list-self-hosted-runner-groups-for-")) {
      return listGroups(call, scopeKey);
    }
    throw new ApiError(501, "The fake GitHub does not implement " + op);
  }

  // ---- runners ----------------------------------------------------------------------------------

  private ApiResponse generateJit(Call call, String scopeKey) {
    JsonNode body = call.body();
    String workFolder = body.hasNonNull("work_folder") ? body.get("work_folder").asText() : "_work";
    GitHubState.JitIssued issued = state.generateJit(scopeKey, body.path("name").asText(),
        body.path("runner_group_id").asLong(), strings(body.path("labels")), workFolder);
    ObjectNode out = Json.object();
    out.set("runner", runnerJson(issued.runner()));
    out.put("encoded_jit_config", issued.encodedJitConfig());
    return ApiResponse.of(201, out);
  }

  private ApiResponse listRunners(Call call, String scopeKey) {
    List<GitHubState.RunnerView> all = state.listRunners(scopeKey, call.queryValue("name"));
    Page page = page(call, all.size());
    ObjectNode out = Json.object();
    out.put("total_count", all.size());
    ArrayNode runners = out.putArray("runners");
    all.subList(page.from, page.to).forEach(r -> runners.add(runnerJson(r)));
    return withLink(ApiResponse.of(200, out), page);
  }

  private ApiResponse listGroups(Call call, String scopeKey) {
    boolean org = scopeKey.startsWith("orgs/");
    List<GitHubState.Group> all = state.groups(scopeKey);
    Page page = page(call, all.size());
    ObjectNode out = Json.object();
    out.put("total_count", all.size());
    ArrayNode groups = out.putArray("runner_groups");
    for (GitHubState.Group group : all.subList(page.from, page.to)) {
      ObjectNode g = groups.addObject();
      g.put("id", group.id());
      g.put("name", group.name());
      g.put("visibility", "all");
      g.put("default", group.isDefault());
      g.put("runners_url", apiUrl + "/" + scopeKey + "/actions/runner-groups/" + group.id() + "/runners");
      if (org) {
        g.put("inherited", false);
      }
      g.put("allows_public_repositories", false);
      g.put("restricted_to_workflows", false);
      g.putArray("selected_workflows");
      g.put("workflow_restrictions_read_only", false);
    }
    return withLink(ApiResponse.of(200, out), page);
  }

  private static long runnerId(Call call) {
    try {
      return Long.parseLong(call.param("runner_id"));
    } catch (NumberFormatException e) {
      throw ApiError.notFound();
    }
  }

  private ObjectNode runnerJson(GitHubState.RunnerView runner) {
    ObjectNode out = Json.object();
    out.put("id", runner.id());
    out.put("runner_group_id", runner.groupId());
    out.put("name", runner.name());
    out.put("os", runner.os());
    out.put("status", runner.status());
    out.put("busy", runner.busy());
    out.put("ephemeral", runner.ephemeral());
    out.set("labels", labelsJson(runner.labels()));
    if (runner.version() != null) {
      out.put("version", runner.version());
    }
    return out;
  }

  private static ArrayNode labelsJson(List<GitHubState.Label> labels) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (GitHubState.Label label : labels) {
      ObjectNode l = array.addObject();
      l.put("id", label.id());
      l.put("name", label.name());
      l.put("type", label.readOnly() ? "read-only" : "custom");
    }
    return array;
  }

  private static ApiResponse labels(List<GitHubState.Label> labels) {
    ObjectNode out = Json.object();
    out.put("total_count", labels.size());
    out.set("labels", labelsJson(labels));
    return ApiResponse.of(200, out);
  }

  private ApiResponse runnerToken(GitHubState.RunnerToken token) {
    ObjectNode out = Json.object();
    out.put("token", token.token());
    out.put("expires_at", OFFSET_MILLIS.format(token.expiresAt().atOffset(ZoneOffset.UTC)));
    return ApiResponse.of(201, out);
  }

  private static ApiResponse downloads() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    String version = GitHubState.RUNNER_VERSION;
    String[][] platforms = {
        {"osx", "x64"}, {"osx", "arm64"}, {"linux", "x64"}, {"linux", "arm"}, {"linux", "arm64"},
        {"win", "x64"}, {"win", "arm64"}};
    for (String[] p : platforms) {
      String ext = p[0].equals("win") ? "zip" : "tar.gz";
      String file = "actions-runner-" + p[0] + "-" + p[1] + "-" + version + "." + ext;
      ObjectNode app = out.addObject();
      app.put("os", p[0]);
      app.put("architecture", p[1]);
      app.put("download_url",
          "https://github.com/actions/runner/releases/download/v" + version + "/" + file);
      app.put("filename", file);
    }
    return ApiResponse.of(200, out);
  }

  // ---- pagination -------------------------------------------------------------------------------

  private record Page(int page, int perPage, int last, int from, int to, Call call) {}

  private static Page page(Call call, int total) {
    int perPage = parseOr(call.queryValue("per_page"), DEFAULT_PER_PAGE);
    if (perPage < 1) {
      perPage = DEFAULT_PER_PAGE;
    }
    perPage = Math.min(perPage, MAX_PER_PAGE);
    int page = Math.max(1, parseOr(call.queryValue("page"), 1));
    int last = Math.max(1, (total + perPage - 1) / perPage);
    int from = (int) Math.min((long) (page - 1) * perPage, total);
    int to = Math.min(from + perPage, total);
    return new Page(page, perPage, last, from, to, call);
  }

  private ApiResponse withLink(ApiResponse response, Page page) {
    List<String> links = new ArrayList<>();
    if (page.page < page.last) {
      links.add(link(page, page.page + 1, "next"));
      links.add(link(page, page.last, "last"));
    }
    if (page.page > 1) {
      links.add(link(page, Math.min(page.page - 1, page.last), "prev"));
      links.add(link(page, 1, "first"));
    }
    return links.isEmpty() ? response : response.withHeader("link", String.join(", ", links));
  }

  private String link(Page page, int target, String rel) {
    Map<String, String> params = new LinkedHashMap<>();
    page.call.query().forEach((name, values) -> {
      if (!name.equals("page") && !name.equals("per_page") && !values.isEmpty()) {
        params.put(name, values.get(0));
      }
    });
    params.put("per_page", Integer.toString(page.perPage));
    params.put("page", Integer.toString(target));
    StringBuilder url = new StringBuilder(origin).append(page.call.rawPath()).append('?');
    String sep = "";
    for (Map.Entry<String, String> e : params.entrySet()) {
      url.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = "&";
    }
    return "<" + url + ">; rel=\"" + rel + "\"";
  }

  private static int parseOr(String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  // ---- Apps -------------------------------------------------------------------------------------

  private ApiResponse getInstallation(Call call) {
    long appId = ((Principal.App) call.principal()).appId();
    String scopeKey = call.pathParams().containsKey("owner")
        ? "repos/" + call.param("owner") + "/" + call.param("repo")
        : "orgs/" + call.param("org");
    return ApiResponse.of(200, installationJson(state.installationFor(appId, scopeKey)));
  }

  private ApiResponse createInstallationToken(Call call) {
    long appId = ((Principal.App) call.principal()).appId();
    long installationId;
    try {
      installationId = Long.parseLong(call.param("installation_id"));
    } catch (NumberFormatException e) {
      throw ApiError.notFound();
    }
    GitHubState.InstallationToken token = state.issueInstallationToken(appId, installationId);
    ObjectNode out = Json.object();
    out.put("token", token.token());
    out.put("expires_at", DateTimeFormatter.ISO_INSTANT.format(token.expiresAt()));
    out.set("permissions", permissions());
    out.put("repository_selection", selection(token.installation()));
    return ApiResponse.of(201, out);
  }

  private static String selection(GitHubState.InstallationView installation) {
    return installation.scopeKey().startsWith("repos/") ? "selected" : "all";
  }

  private static ObjectNode permissions() {
    ObjectNode permissions = Json.object();
    permissions.put("administration", "write");
    permissions.put("organization_self_hosted_runners", "write");
    permissions.put("metadata", "read");
    return permissions;
  }

  private ObjectNode installationJson(GitHubState.InstallationView installation) {
    String login = installation.accountLogin();
    String created = DateTimeFormatter.ISO_INSTANT.format(installation.createdAt());
    ObjectNode out = Json.object();
    out.put("id", installation.id());
    ObjectNode account = out.putObject("account");
    account.put("login", login);
    account.put("id", Math.abs((long) login.hashCode()) + 1);
    account.put("node_id", "O_" + Math.abs(login.hashCode()));
    account.put("avatar_url", serverUrl + "/avatars/" + login);
    account.put("gravatar_id", "");
    String users = apiUrl + "/users/" + login;
    account.put("url", apiUrl + "/orgs/" + login);
    account.put("html_url", serverUrl + "/" + login);
    account.put("followers_url", users + "/followers");
    account.put("following_url", users + "/following{/other_user}");
    account.put("gists_url", users + "/gists{/gist_id}");
    account.put("starred_url", users + "/starred{/owner}{/repo}");
    account.put("subscriptions_url", users + "/subscriptions");
    account.put("organizations_url", users + "/orgs");
    account.put("repos_url", apiUrl + "/orgs/" + login + "/repos");
    account.put("events_url", apiUrl + "/orgs/" + login + "/events");
    account.put("received_events_url", users + "/received_events");
    account.put("type", "Organization");
    account.put("site_admin", false);
    out.put("repository_selection", selection(installation));
    out.put("access_tokens_url", apiUrl + "/app/installations/" + installation.id() + "/access_tokens");
    out.put("repositories_url", apiUrl + "/installation/repositories");
    out.put("html_url",
        serverUrl + "/organizations/" + login + "/settings/installations/" + installation.id());
    out.put("app_id", installation.appId());
    out.put("app_slug", "oneshot-fake-app-" + installation.appId());
    out.put("target_id", account.get("id").asLong());
    out.put("target_type", "Organization");
    out.set("permissions", permissions());
    out.putArray("events").add("workflow_job");
    out.put("created_at", created);
    out.put("updated_at", created);
    out.putNull("single_file_name");
    out.putNull("suspended_by");
    out.putNull("suspended_at");
    return out;
  }

  // ---- rate limit -------------------------------------------------------------------------------

  private ApiResponse rateLimit(Call call) {
    Principal principal = call.principal();
    RateLimiter.Snapshot core = rateLimiter.peek(principal.rateKey(), principal.rateLimit());
    long hourReset = clock.instant().plus(RateLimiter.WINDOW).getEpochSecond();
    long minuteReset = clock.instant().plusSeconds(60).getEpochSecond();
    ObjectNode out = Json.object();
    ObjectNode resources = out.putObject("resources");
    resources.set("core", rate(core.limit(), core.remaining(), core.used(), core.resetEpochSecond()));
    resources.set("search", rate(30, 30, 0, minuteReset));
    resources.set("graphql", rate(5000, 5000, 0, hourReset));
    resources.set("integration_manifest", rate(5000, 5000, 0, hourReset));
    resources.set("code_search", rate(10, 10, 0, minuteReset));
    resources.set("actions_runner_registration", rate(10000, 10000, 0, hourReset));
    out.set("rate", rate(core.limit(), core.remaining(), core.used(), core.resetEpochSecond()));
    return ApiResponse.of(200, out);
  }

  private static ObjectNode rate(int limit, int remaining, int used, long reset) {
    ObjectNode out = Json.object();
    out.put("limit", limit);
    out.put("remaining", remaining);
    out.put("reset", reset);
    out.put("used", used);
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }
}
