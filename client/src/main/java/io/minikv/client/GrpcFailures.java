package io.minikv.client;

import io.grpc.Status;
import io.grpc.StatusException;
import io.minikv.proto.GrpcStatuses;
import io.minikv.proto.MinikvException;
import java.net.ConnectException;

/** What a failed gRPC call means for the caller: the one place where gRPC statuses become exceptions. */
final class GrpcFailures {
    private GrpcFailures() {}

    /**
     * The exception for a call that ended with {@code failure}. {@code resendable} says whether the
     * call could be sent again unchanged; only then does a refused connection become
     * {@link Unreachable}.
     */
    static RuntimeException of(String coordinator, StatusException failure, boolean resendable) {
        Status status = failure.getStatus();
        if (status.getCode() == Status.Code.UNAVAILABLE && neverConnected(status.getCause()) && resendable) {
            return new Unreachable(coordinator + ": cannot connect (" + describe(status) + ")", failure);
        }
        MinikvException domain = GrpcStatuses.fromStatus(status);
        if (domain != null) {
            return domain;
        }
        return new UnexpectedResponseException(coordinator + " answered " + describe(status), failure);
    }

    private static boolean neverConnected(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Status status) {
        String description = status.getDescription();
        if (status.getCause() != null && status.getCause().getMessage() != null) {
            description = (description == null ? "" : description + ": ")
                    + status.getCause().getMessage();
        }
        return description == null ? status.getCode().name() : status.getCode() + " " + description;
    }
}
