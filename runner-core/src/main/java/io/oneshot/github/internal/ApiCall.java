package io.oneshot.github.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One GitHub REST request to make.
 *
 * @param method HTTP method
 * @param path path and query below the API root, without a leading slash
 * @param jsonBody the JSON body, if any
 * @param operation a short name for messages and logs, for example {@code generate-jitconfig}
 * @param expectedStatuses statuses returned to the caller instead of raised (2xx are always returned)
 */
public record ApiCall(String method, String path, Optional<String> jsonBody, String operation,
    Set<Integer> expectedStatuses) {
  public ApiCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(jsonBody, "jsonBody");
    Objects.requireNonNull(operation, "operation");
    expectedStatuses = Set.copyOf(expectedStatuses);
  }

  public static ApiCall get(String path, String operation, Integer... expected) {
    return new ApiCall("GET", path, Optional.empty(), operation, Set.of(expected));
  }

  public static ApiCall post(String path, Optional<String> body, String operation, Integer... expected) {
    return new ApiCall("POST", path, body, operation, Set.of(expected));
  }

  public static ApiCall delete(String path, String operation, Integer... expected) {
    return new ApiCall("DELETE", path, Optional.empty(), operation, Set.of(expected));
  }
}
