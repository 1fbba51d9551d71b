package io.oneshot.fakes.cloudrun.internal;

import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import com.google.longrunning.OperationsGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code google.longrunning.Operations}: GetOperation, which the client's LRO polling calls on the same
 * channel. Thread-safe.
 */
public final class OperationsService extends OperationsGrpc.OperationsImplBase {
  private final CloudRunState state;

  public OperationsService(CloudRunState state) {
    this.state = state;
  }

  @Override
  public void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
    Rpc.answer(state, "GetOperation", observer, () -> {
      if (!ResourceNames.isOperation(request.getName())) {
        throw RpcFailure.invalidArgument("Invalid value for field 'name': '" + request.getName() + "'. Expected the"
            + " form projects/{project}/locations/{location}/operations/{operation}.");
      }
      CloudRunState.OperationRecord op = state.operationRecord(request.getName()).orElseThrow(() ->
          new RpcFailure(Status.Code.NOT_FOUND, "Operation '" + request.getName() + "' not found."));
      return state.operation(op, state.clock.instant());
    });
  }
}
