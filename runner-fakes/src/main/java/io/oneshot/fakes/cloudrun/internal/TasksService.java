package io.oneshot.fakes.cloudrun.internal;

import com.google.cloud.run.v2.GetTaskRequest;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TasksGrpc;
import io.grpc.stub.StreamObserver;

/**
 * {@code google.cloud.run.v2.Tasks}: ListTasks and GetTask of an execution's first task, with its
 * {@code last_attempt_result.exit_code} once it ended. Thread-safe.
 */
public final class TasksService extends TasksGrpc.TasksImplBase {
  private final CloudRunState state;

  public TasksService(CloudRunState state) {
    this.state = state;
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> observer) {
    Rpc.answer(state, "ListTasks", observer, () -> ListTasksResponse.newBuilder()
        .addTasks(state.execution("parent", request.getParent()).taskProto(state.clock.instant())).build());
  }

  @Override
  public void getTask(GetTaskRequest request, StreamObserver<Task> observer) {
    Rpc.answer(state, "GetTask", observer, () -> {
      int slash = request.getName().lastIndexOf("/tasks/");
      String executionName = slash < 0 ? request.getName() : request.getName().substring(0, slash);
      ExecutionRecord execution = state.execution("name", executionName);
      if (slash < 0 || !request.getName().substring(slash + 7).equals(execution.taskId())) {
        throw RpcFailure.notFound("TASK", request.getName().substring(request.getName().lastIndexOf('/') + 1),
            state.region, state.project);
      }
      return execution.taskProto(state.clock.instant());
    });
  }
}
