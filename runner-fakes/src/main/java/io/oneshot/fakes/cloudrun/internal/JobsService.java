package io.oneshot.fakes.cloudrun.internal;

import com.google.cloud.run.v2.GetJobRequest;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsGrpc;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.longrunning.Operation;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code google.cloud.run.v2.Jobs}: GetJob and RunJob (an LRO whose metadata is the new Execution, done
 * only when the execution ends). The other RPCs answer UNIMPLEMENTED. Thread-safe.
 */
public final class JobsService extends JobsGrpc.JobsImplBase {
  private final CloudRunState state;

  public JobsService(CloudRunState state) {
    this.state = state;
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
    Rpc.answer(state, "GetJob", observer, () -> state.jobProto(state.job("name", request.getName())));
  }

  @Override
  public void runJob(RunJobRequest request, StreamObserver<Operation> observer) {
    Rpc.answer(state, "RunJob", observer, () -> {
      synchronized (state) {
        CloudRunState.JobRecord job = state.job("name", request.getName());
        Overrides.Applied applied = Overrides.apply(job.spec(), request.getOverrides());
        if (!request.getEtag().isEmpty() && !request.getEtag().equals(state.jobProto(job).getEtag())) {
          throw new RpcFailure(Status.Code.ABORTED, "The etag '" + request.getEtag() + "' does not match the job's"
              + " current etag.");
        }
        if (request.getValidateOnly()) {
          return Operation.newBuilder().setName(state.locationName() + "/operations/validate-only").setDone(true)
              .build();
        }
        return state.run(job, applied);
      }
    });
  }
}
