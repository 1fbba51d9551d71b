package io.oneshot.fakes.github.internal;

import java.util.List;

/**
 * An error answer, thrown by the state store or an endpoint and turned into a GitHub-shaped response
 * body by the handler. Carries no secrets; has no stack trace (it is control flow, not a bug).
 */
public final class ApiError extends RuntimeException {
  /** Which of GitHub's error schemas the body follows. */
  public enum Shape {
    /** {@code basic-error}: message, documentation_url, status. */
    BASIC,
    /** {@code validation-error-simple}: message, documentation_url, errors (strings). */
    VALIDATION_SIMPLE,
    /** {@code validation-error}: message, documentation_url, errors (objects with a code). */
    VALIDATION
  }

  private final int status;
  private final Shape shape;
  private final List<String> errors;

  public ApiError(int status, String message) {
    this(status, message, Shape.BASIC, List.of());
  }

  public ApiError(int status, String message, Shape shape, List<String> errors) {
    super(message, null, false, false);
    this.status = status;
    this.shape = shape;
    this.errors = List.copyOf(errors);
  }

  /** A 404 {@code Not Found}, as GitHub answers for absent or invisible resources. */
  public static ApiError notFound() {
    return new ApiError(404, "Not Found");
  }

  /** A 422 with a {@code validation-error-simple} body. */
  public static ApiError unprocessable(String message, List<String> errors) {
    return new ApiError(422, message, Shape.VALIDATION_SIMPLE, errors);
  }

  public int status() {
    return status;
  }

  public Shape shape() {
    return shape;
  }

  public List<String> errors() {
    return errors;
  }
}
