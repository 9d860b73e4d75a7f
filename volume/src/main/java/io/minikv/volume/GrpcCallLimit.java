package io.minikv.volume;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the gRPC calls a server runs at once, over all its connections and services (grpc-java
 * bounds only the streams of one connection). A call beyond the bound is closed at once with
 * UNAVAILABLE, which clients retry elsewhere or later; a call gives its slot back when the server
 * closes it (every call that completes was closed first) or its client cancels it.
 */
public final class GrpcCallLimit implements ServerInterceptor {
    private final int limit;
    private final Semaphore free;

    public GrpcCallLimit(int limit) {
        this.limit = limit;
        this.free = new Semaphore(limit);
    }

    /** Calls in progress now (the {@code minikv_grpc_calls_in_flight} gauge). */
    public int inUse() {
        return limit - free.availablePermits();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!free.tryAcquire()) {
            call.close(
                    Status.UNAVAILABLE.withDescription(
                            "too many calls in progress (the limit is " + limit + "); retry later"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                free.release();
            }
        };
        ServerCall<Q, A> releasingCall = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    super.close(status, trailers);
                } finally {
                    release.run();
                }
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(releasingCall, headers);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    release.run();
                }
            }
        };
    }
}
