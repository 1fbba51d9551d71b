package io.oneshot.fakes.ecs.internal;

/** An EC2 query-protocol error answer ({@code <Response><Errors><Error>...}). Messages carry ids, never secrets. */
public final class Ec2Error extends RuntimeException {
  private final String code;
  private final int status;

  public Ec2Error(String code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  /** A 400 client error. */
  public static Ec2Error client(String code, String message) {
    return new Ec2Error(code, 400, message);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
