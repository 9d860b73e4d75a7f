package io.minikv.coordinator;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** The answer side of a call whose one message is the answer: the future completes with it, or with the failure. */
final class FirstAnswer<T> implements StreamObserver<T> {
    private final CompletableFuture<T> answer = new CompletableFuture<>();

    CompletableFuture<T> future() {
        return answer;
    }

    @Override
    public void onNext(T value) {
        answer.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        answer.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {}
}
