package io.oneshot.github.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oneshot.github.GitHubApiException;
import java.util.Optional;

/** The one Jackson mapper of the GitHub client, with small reading helpers. Thread-safe. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses a GitHub answer; a body that is not JSON is a clear error naming the operation. */
  public static JsonNode parse(ApiResponse response, String operation) {
    try {
      return MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new GitHubApiException("GitHub " + operation + " answered " + response.status()
          + " with a body that is not JSON", response.status(), response.requestId(), false, false, null);
    }
  }

  /** Writes a value as JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  /** A text field of a JSON body, empty when the body is not JSON or lacks it. */
  public static Optional<String> text(String body, String field) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** A required field; missing is an error naming the operation and the field. */
  public static JsonNode required(JsonNode node, String field, ApiResponse response, String operation) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new GitHubApiException("GitHub " + operation + " answered without '" + field + "'",
          response.status(), response.requestId(), false, false, null);
    }
    return value;
  }
}
