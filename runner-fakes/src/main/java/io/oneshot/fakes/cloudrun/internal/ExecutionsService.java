package io.oneshot.fakes.cloudrun.internal;

import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.DeleteExecutionRequest;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsGrpc;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListExecutionsResponse;
import com.google.longrunning.Operation;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code google.cloud.run.v2.Executions}: GetExecution, ListExecutions (newest first, paged with an opaque
 * cursor token tied to its parent; default 100 and at most 1,000 per page), CancelExecution and
 * DeleteExecution (LROs whose metadata is the Execution). Thread-safe.
 */
public final class ExecutionsService extends ExecutionsGrpc.ExecutionsImplBase {
  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 1000;
  private final CloudRunState state;

  public ExecutionsService(CloudRunState state) {
    this.state = state;
  }

  @Override
  public void getExecution(GetExecutionRequest request, StreamObserver<Execution> observer) {
    Rpc.answer(state, "GetExecution", observer,
        () -> state.execution("name", request.getName()).toProto(state.clock.instant()));
  }

  @Override
  public void listExecutions(ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> observer) {
    Rpc.answer(state, "ListExecutions", observer, () -> {
      CloudRunState.JobRecord job = state.job("parent", request.getParent());
      if (request.getPageSize() < 0) {
        throw RpcFailure.invalidArgument("Invalid value for field 'page_size': must not be negative.");
      }
      int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
      long before = request.getPageToken().isEmpty() ? Long.MAX_VALUE : cursor(request);
      Instant now = state.clock.instant();
      List<ExecutionRecord> all = state.executionsOf(job, request.getShowDeleted()).stream()
          .filter(e -> e.sequence() < before).toList();
      ListExecutionsResponse.Builder out = ListExecutionsResponse.newBuilder();
      all.stream().limit(size).forEach(e -> out.addExecutions(e.toProto(now)));
      if (all.size() > size) {
        long last = all.get(size - 1).sequence();
        out.setNextPageToken(Base64.getUrlEncoder().encodeToString((request.getParent() + "|" + request.getShowDeleted()
            + "|" + last).getBytes(StandardCharsets.UTF_8)));
      }
      return out.build();
    });
  }

  private static long cursor(ListExecutionsRequest request) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(request.getPageToken()), StandardCharsets.UTF_8)
          .split("\\|");
      if (parts.length == 3 && parts[0].equals(request.getParent())
          && parts[1].equals(Boolean.toString(request.getShowDeleted()))) {
        return Long.parseLong(parts[2]);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw RpcFailure.invalidArgument("Invalid value for field 'page_token': the token is not valid for this request.");
  }

  @Override
  public void cancelExecution(CancelExecutionRequest request, StreamObserver<Operation> observer) {
    Rpc.answer(state, "CancelExecution", observer, () -> {
      ExecutionRecord execution = state.execution("name", request.getName());
      Instant now = state.clock.instant();
      if (!request.getValidateOnly()) {
        execution.cancel(now);
      }
      return state.operation(state.newOperation(CloudRunState.OperationKind.CANCEL, execution.name()), now);
    });
  }

  @Override
  public void deleteExecution(DeleteExecutionRequest request, StreamObserver<Operation> observer) {
    Rpc.answer(state, "DeleteExecution", observer, () -> {
      ExecutionRecord execution = state.execution("name", request.getName());
      Instant now = state.clock.instant();
      if (!request.getValidateOnly()) {
        execution.delete(now);
      }
      return state.operation(state.newOperation(CloudRunState.OperationKind.DELETE, execution.name()), now);
    });
  }
}
