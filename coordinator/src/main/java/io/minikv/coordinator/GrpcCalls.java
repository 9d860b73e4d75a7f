package io.minikv.coordinator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.GrpcStatuses;
import io.minikv.proto.MinikvException;
import io.minikv.volume.ChunkPipe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the coordinator's public gRPC services answer: a result, or the status its failure stands for. */
final class GrpcCalls {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcCalls.class);

    private GrpcCalls() {}

    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code call} on a virtual thread of its own and answers there: the servers call their
     * handlers on the transport's threads ({@code directExecutor}), which must never block.
     */
    static <T> void unary(StreamObserver<T> responses, String what, Call<T> call) {
        Thread.ofVirtual().name("grpc-call").start(() -> answer(responses, what, call));
    }

    /** Runs {@code call} on the calling thread, which may block, and answers with its result or its failure. */
    static <T> void answer(StreamObserver<T> responses, String what, Call<T> call) {
        T result;
        try {
            result = call.run();
        } catch (Exception e) {
            responses.onError(status(e, what));
            return;
        }
        responses.onNext(result);
        responses.onCompleted();
    }

    /** The one place where these services turn failures into gRPC statuses: domain errors by GrpcStatuses. */
    static StatusRuntimeException status(Exception e, String what) {
        if (e instanceof MinikvException domain) {
            return GrpcStatuses.toStatus(domain);
        }
        if (e instanceof StatusRuntimeException grpc) {
            return grpc;
        }
        if (e instanceof ChunkPipe.UploadCancelled cancelled) {
            LOG.debug("{}: {}", what, cancelled.getMessage());
            return Status.CANCELLED.withDescription(cancelled.getMessage()).asRuntimeException();
        }
        LOG.error("{} failed", what, e);
        return Status.INTERNAL
                .withDescription(what + " failed: " + e.getMessage())
                .asRuntimeException();
    }
}
