package io.oneshot.fakes.cloudrun.internal;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.oneshot.fakes.cloudrun.CloudRunCall;
import io.oneshot.fakes.internal.LoopbackServer;
import java.util.Map;
import java.util.Optional;

/**
 * In front of every service of the fake: logs each call with its routing header and final status, delays
 * answers by the planned latency (real time), and answers planned or seeded faults instead of the RPC
 * once the request has arrived (so a permission fault names the resource asked for).
 */
public final class CallInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> ROUTING =
      Metadata.Key.of("x-goog-request-params", Metadata.ASCII_STRING_MARSHALLER);
  /** The IAM permission each RPC needs, as Cloud Run's reference lists them. */
  private static final Map<String, String> PERMISSIONS = Map.ofEntries(
      Map.entry("GetJob", "run.jobs.get"), Map.entry("RunJob", "run.jobs.runWithOverrides"),
      Map.entry("GetExecution", "run.executions.get"), Map.entry("ListExecutions", "run.executions.list"),
      Map.entry("CancelExecution", "run.executions.cancel"), Map.entry("DeleteExecution", "run.executions.delete"),
      Map.entry("ListTasks", "run.tasks.list"), Map.entry("GetTask", "run.tasks.get"),
      Map.entry("GetOperation", "run.operations.get"));

  private final CloudRunState state;

  public CallInterceptor(CloudRunState state) {
    this.state = state;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    String routing = Optional.ofNullable(headers.get(ROUTING)).orElse("");
    Recording<Q, A> recording = new Recording<>(call, method, routing);
    LoopbackServer.pause(state.faults.latency());
    ServerCall.Listener<Q> delegate = next.startCall(recording, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      private boolean faulted;

      @Override
      public void onMessage(Q message) {
        Optional<FaultPlan.CallFault> fault = state.faults.nextCallFault(method);
        if (fault.isPresent()) {
          faulted = true;
          recording.injected = true;
          StatusRuntimeException e = failure(fault.get(), method, message).toStatusException();
          recording.close(e.getStatus(), e.getTrailers());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!faulted) {
          super.onHalfClose();
        }
      }
    };
  }

  private RpcFailure failure(FaultPlan.CallFault fault, String method, Object request) {
    switch (fault) {
      case RATE_LIMITED:
        return RpcFailure.rateLimited(state.project);
      case QUOTA_EXCEEDED:
        return RpcFailure.quotaExceeded();
      case PERMISSION_DENIED:
        return RpcFailure.permissionDenied(PERMISSIONS.getOrDefault(method, "run." + method), resource(request));
      case DEADLINE_EXCEEDED:
        return RpcFailure.deadlineExceeded();
      case RESET:
        return RpcFailure.connectionReset();
      default:
        return RpcFailure.unavailable();
    }
  }

  private String resource(Object request) {
    if (request instanceof Message message) {
      for (String field : new String[] {"name", "parent"}) {
        FieldDescriptor descriptor = message.getDescriptorForType().findFieldByName(field);
        if (descriptor != null && descriptor.getType() == FieldDescriptor.Type.STRING) {
          return "//run.googleapis.com/" + message.getField(descriptor);
        }
      }
    }
    return "//run.googleapis.com/" + state.locationName();
  }

  private final class Recording<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
    private final String method;
    private final String routing;
    private volatile boolean injected;
    /** The planned loss of this call's answer, decided when the answer is about to be sent. */
    private volatile FaultPlan.AnswerLoss lost;

    Recording(ServerCall<Q, A> call, String method, String routing) {
      super(call);
      this.method = method;
      this.routing = routing;
    }

    @Override
    public void sendMessage(A message) {
      if (!injected) {
        lost = state.faults.nextAnswerLoss(method).orElse(null);
      }
      if (lost != null) {
        // The RPC took effect; its answer never reaches the client.
        injected = true;
        return;
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (lost != null && status.isOk()) {
        StatusRuntimeException e = (lost == FaultPlan.AnswerLoss.RESET ? RpcFailure.connectionReset()
            : RpcFailure.unavailable()).toStatusException();
        status = e.getStatus();
        trailers = e.getTrailers() == null ? new Metadata() : e.getTrailers();
      }
      CloudRunCall answered = new CloudRunCall(method, routing, status.getCode().name(), injected);
      state.log.call(answered);
      if (!injected && !status.isOk() && status.getCode() != Status.Code.INTERNAL) {
        // What Cloud Run itself would have refused (injected faults and the fake's own failures aside).
        state.log.rejection(method, status.getCode().name(),
            status.getDescription() == null ? "" : status.getDescription());
      }
      super.close(status, trailers);
    }
  }
}
