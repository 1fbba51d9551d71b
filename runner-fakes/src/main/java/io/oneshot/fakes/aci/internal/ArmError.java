package io.oneshot.fakes.aci.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ARM error answer: HTTP status, {@code error.code}, {@code error.message}, and extra headers
 * (for example {@code Retry-After}). Thrown inside the fake and turned into
 * {@code {"error":{"code":..,"message":..}}}.
 */
public final class ArmError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ArmError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ArmError badRequest(String code, String message) {
    return new ArmError(400, code, message);
  }

  /** ARM's wording for a body that does not deserialise into the resource's schema. */
  public static ArmError invalidContent(String detail) {
    return badRequest("InvalidRequestContent",
        "The request content was invalid and could not be deserialized: '" + detail + "'.");
  }

  public ArmError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
