package io.oneshot.fakes.ecs.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An ECS error answer: {@code {"__type": code, "message": ...}} with an HTTP status, plus any extra
 * members of the error shape (ConflictException's {@code resourceIds}). Messages never carry request
 * values, so they cannot leak secrets.
 */
public final class EcsError extends RuntimeException {
  private final String code;
  private final int status;
  private final transient ObjectNode extra;

  public EcsError(String code, int status, String message, ObjectNode extra) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
    this.extra = extra;
  }

  /** A 400 client error. */
  public static EcsError client(String code, String message) {
    return new EcsError(code, 400, message, null);
  }

  /** {@code InvalidParameterException}, the usual answer to a semantically wrong request. */
  public static EcsError invalidParameter(String message) {
    return client("InvalidParameterException", message);
  }

  /** {@code SerializationException}: the body does not deserialize into the operation's input shape. */
  public static EcsError serialization(String message) {
    return client("SerializationException", message);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** Extra members of the error body, or null. */
  public ObjectNode extra() {
    return extra;
  }
}
