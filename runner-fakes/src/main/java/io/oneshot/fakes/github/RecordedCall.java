package io.oneshot.fakes.github;

/**
 * One HTTP request the {@link FakeGitHub} received, including those answered by an injected fault.
 * Immutable.
 *
 * @param method the HTTP method
 * @param path the request path as received (with the API prefix, without the query)
 * @param operationId the contract's operationId, or {@code null} when the path matches no operation
 * @param status the status answered, or 0 when the connection was closed without an answer
 */
public record RecordedCall(String method, String path, String operationId, int status) {}
