package io.minikv.client;

/**
 * The server answered outside the protocol: a status that is no domain error (405, 500, 502,
 * gRPC INTERNAL...) or a body that does not parse. Domain errors are
 * {@link io.minikv.proto.MinikvException}s.
 */
public final class UnexpectedResponseException extends RuntimeException {
    public UnexpectedResponseException(String message) {
        super(message);
    }

    public UnexpectedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
