package io.oneshot.fakes.cloudrun.internal;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/**
 * An error the fake answers with, in Google's wire form: a gRPC status code and message, and for IAM and
 * quota errors a {@code google.rpc.ErrorInfo} detail (domain {@code googleapis.com}) in the
 * {@code grpc-status-details-bin} trailer, where gax finds it. Thrown inside the fake's services and
 * turned into the call's status; never escapes the fake.
 */
public final class RpcFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Status.Code code;
  private final transient ErrorInfo errorInfo;

  public RpcFailure(Status.Code code, String message) {
    this(code, message, null);
  }

  public RpcFailure(Status.Code code, String message, ErrorInfo errorInfo) {
    super(message, null, false, false);
    this.code = code;
    this.errorInfo = errorInfo;
  }

  public Status.Code code() {
    return code;
  }

  /** The status and trailers to close a call with. */
  public StatusRuntimeException toStatusException() {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.value())
        .setMessage(getMessage());
    if (errorInfo != null) {
      status.addDetails(Any.pack(errorInfo));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** {@code INVALID_ARGUMENT}. */
  public static RpcFailure invalidArgument(String message) {
    return new RpcFailure(Status.Code.INVALID_ARGUMENT, message);
  }

  /** The NOT_FOUND Cloud Run v2 answers for a missing resource. */
  public static RpcFailure notFound(String kind, String id, String region, String project) {
    return new RpcFailure(Status.Code.NOT_FOUND, "Resource '" + id + "' of kind '" + kind + "' in region '" + region
        + "' in project '" + project + "' does not exist.");
  }

  /** IAM's refusal: the permission named in the message and in an {@code IAM_PERMISSION_DENIED} ErrorInfo. */
  public static RpcFailure permissionDenied(String permission, String resource) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason("IAM_PERMISSION_DENIED").setDomain("iam.googleapis.com")
        .putAllMetadata(Map.of("permission", permission, "resource", resource)).build();
    return new RpcFailure(Status.Code.PERMISSION_DENIED, "Permission '" + permission + "' denied on resource '"
        + resource + "' (or it may not exist).", info);
  }

  /** A per-minute request quota: {@code RESOURCE_EXHAUSTED} with a {@code RATE_LIMIT_EXCEEDED} ErrorInfo. */
  public static RpcFailure rateLimited(String project) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason("RATE_LIMIT_EXCEEDED").setDomain("googleapis.com")
        .putAllMetadata(Map.of("service", "run.googleapis.com", "consumer", "projects/" + project,
            "quota_metric", "run.googleapis.com/requests", "quota_limit", "RequestsPerMinutePerProjectPerRegion"))
        .build();
    return new RpcFailure(Status.Code.RESOURCE_EXHAUSTED, "Quota exceeded for quota metric 'Requests' and limit"
        + " 'Requests per minute per region' of service 'run.googleapis.com' for consumer 'project:" + project + "'.",
        info);
  }

  /** A resource quota (CPU, memory, concurrent executions): {@code RESOURCE_EXHAUSTED} without a rate limit. */
  public static RpcFailure quotaExceeded() {
    return new RpcFailure(Status.Code.RESOURCE_EXHAUSTED,
        "Quota exceeded for total allowable CPU per project per region.");
  }

  /** A transient server-side failure. */
  public static RpcFailure unavailable() {
    return new RpcFailure(Status.Code.UNAVAILABLE, "The service is currently unavailable.");
  }

  /** What Google's front end answers when the backend did not answer in time. */
  public static RpcFailure deadlineExceeded() {
    return new RpcFailure(Status.Code.DEADLINE_EXCEEDED, "Deadline Exceeded");
  }

  /** The status a gRPC client reports when its connection is reset mid-call (grpc-java's wording). */
  public static RpcFailure connectionReset() {
    return new RpcFailure(Status.Code.UNAVAILABLE, "io exception: Connection reset by peer");
  }
}
