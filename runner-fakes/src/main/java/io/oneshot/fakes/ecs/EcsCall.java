package io.oneshot.fakes.ecs;

/**
 * One request a {@link FakeEcs} answered: the operation ({@code RunTask}, {@code DescribeSubnets}, ...,
 * or {@code "?"} when it could not tell), the SDK's {@code amz-sdk-request} header (e.g.
 * {@code "attempt=2; max=3"}, empty when absent) so tests can see SDK retries, the HTTP status and the
 * error code ({@code ""} on success). Bodies are kept apart ({@link FakeEcs#requestBodies}) because they
 * may hold secrets. An immutable value.
 */
public record EcsCall(String operation, String sdkRequest, int status, String errorCode) {

  /** The attempt number from {@code amz-sdk-request}, or 0 when the header is absent. */
  public int attempt() {
    for (String part : sdkRequest.split(";")) {
      String trimmed = part.trim();
      if (trimmed.startsWith("attempt=")) {
        try {
          return Integer.parseInt(trimmed.substring("attempt=".length()));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }
}
