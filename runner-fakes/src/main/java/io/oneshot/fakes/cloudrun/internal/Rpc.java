package io.oneshot.fakes.cloudrun.internal;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * Answers one unary call: the value, or the {@link RpcFailure} as its status; any other exception is a bug
 * of the fake, logged as an internal failure (which fails the fake's close) and answered INTERNAL.
 */
final class Rpc {
  private Rpc() {}

  static <T> void answer(CloudRunState state, String method, StreamObserver<T> observer, Supplier<T> work) {
    T value;
    try {
      value = work.get();
    } catch (RpcFailure failure) {
      observer.onError(failure.toStatusException());
      return;
    } catch (RuntimeException e) {
      state.log.failure(method + ": " + e);
      observer.onError(Status.INTERNAL.withDescription("fake Cloud Run internal failure: " + e).asRuntimeException());
      return;
    }
    observer.onNext(value);
    observer.onCompleted();
  }
}
