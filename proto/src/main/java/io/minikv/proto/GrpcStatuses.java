package io.minikv.proto;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gRPC status of each {@link MinikvException} and back: the one place where errors meet gRPC. */
public final class GrpcStatuses {
    private GrpcStatuses() {}

    public static StatusRuntimeException toStatus(MinikvException e) {
        Status status = switch (e) {
            case MinikvException.NotFound ignored -> Status.NOT_FOUND;
            case MinikvException.PreconditionFailed ignored -> Status.FAILED_PRECONDITION;
            case MinikvException.InvalidArgument ignored -> Status.INVALID_ARGUMENT;
            case MinikvException.TooLarge ignored -> Status.RESOURCE_EXHAUSTED;
            case MinikvException.Unavailable ignored -> Status.UNAVAILABLE;
            case MinikvException.Conflict ignored -> Status.ALREADY_EXISTS;
            case MinikvException.Corrupt ignored -> Status.DATA_LOSS;
            case MinikvException.Timeout ignored -> Status.DEADLINE_EXCEEDED;
        };
        return status.withDescription(e.getMessage()).asRuntimeException();
    }

    /** The domain error a gRPC failure stands for, or null for codes that are not domain errors. */
    public static MinikvException fromStatus(Status status) {
        String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case NOT_FOUND -> new MinikvException.NotFound(message);
            case FAILED_PRECONDITION -> new MinikvException.PreconditionFailed(message);
            case INVALID_ARGUMENT -> new MinikvException.InvalidArgument(message);
            case RESOURCE_EXHAUSTED -> new MinikvException.TooLarge(message);
            case UNAVAILABLE -> new MinikvException.Unavailable(message);
            case ALREADY_EXISTS -> new MinikvException.Conflict(message);
            case DATA_LOSS -> new MinikvException.Corrupt(message);
            case DEADLINE_EXCEEDED -> new MinikvException.Timeout(message);
            default -> null;
        };
    }
}
