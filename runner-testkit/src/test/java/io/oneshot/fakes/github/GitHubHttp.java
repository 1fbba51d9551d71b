package io.oneshot.fakes.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny real-HTTP client for the tests: java.net.http against the fake on loopback. */
final class GitHubHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final URI apiUrl;
  private final String authorization;

  GitHubHttp(URI apiUrl, String authorization) {
    this.apiUrl = apiUrl;
    this.authorization = authorization;
  }

  static GitHubHttp token(FakeGitHub github, String token) {
    return new GitHubHttp(github.apiUrl(), token == null ? null : "token " + token);
  }

  static GitHubHttp bearer(FakeGitHub github, String jwt) {
    return new GitHubHttp(github.apiUrl(), "Bearer " + jwt);
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  HttpResponse<String> post(String path, String body) {
    return send("POST", path, body);
  }

  HttpResponse<String> delete(String path) {
    return send("DELETE", path, null);
  }

  HttpResponse<String> send(String method, String path, String body) {
    try {
      return sendOrThrow(method, path, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> sendOrThrow(String method, String path, String body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String jit(String name, long group, String... labels) {
    StringBuilder sb = new StringBuilder("{\"name\":\"").append(name).append("\",\"runner_group_id\":")
        .append(group).append(",\"labels\":[");
    for (int i = 0; i < labels.length; i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(labels[i]).append('"');
    }
    return sb.append("]}").toString();
  }
}
