package io.oneshot.fakes.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the fake before the common headers are added.
 *
 * @param status the HTTP status
 * @param body the JSON body, or {@code null} for none (204)
 * @param headers extra headers (lower-case names), e.g. {@code link} or {@code retry-after}
 */
public record ApiResponse(int status, JsonNode body, Map<String, String> headers) {
  /** Documentation link used in error bodies. */
  public static final String DOCS = "https://docs.github.com/rest";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public static ApiResponse of(int status, JsonNode body) {
    return new ApiResponse(status, body, Map.of());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, Map.of());
  }

  /** This response with one more header. */
  public ApiResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new ApiResponse(status, body, copy);
  }

  /** A {@code basic-error} body: {@code {"message", "documentation_url", "status"}}. */
  public static ApiResponse error(int status, String message) {
    ObjectNode body = Json.object();
    body.put("message", message);
    body.put("documentation_url", DOCS);
    body.put("status", Integer.toString(status));
    return of(status, body);
  }

  /** The body for an {@link ApiError}, in the schema it names. */
  public static ApiResponse from(ApiError error) {
    switch (error.shape()) {
      case VALIDATION_SIMPLE: {
        ObjectNode body = Json.object();
        body.put("message", error.getMessage());
        body.put("documentation_url", DOCS);
        ArrayNode errors = body.putArray("errors");
        error.errors().forEach(errors::add);
        return of(error.status(), body);
      }
      case VALIDATION: {
        ObjectNode body = Json.object();
        body.put("message", error.getMessage());
        body.put("documentation_url", DOCS);
        ArrayNode errors = body.putArray("errors");
        for (String text : error.errors()) {
          ObjectNode item = errors.addObject();
          item.put("code", "invalid");
          item.put("message", text);
        }
        return of(error.status(), body);
      }
      default:
        return error(error.status(), error.getMessage());
    }
  }
}
