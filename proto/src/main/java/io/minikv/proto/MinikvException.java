package io.minikv.proto;

/**
 * The errors minikv's services report, one kind per way a request can fail. Domain code throws
 * these; each transport maps them in one place ({@link HttpStatuses}, {@link GrpcStatuses}), so no
 * domain code speaks HTTP or gRPC.
 */
public abstract sealed class MinikvException extends RuntimeException {
    private MinikvException(String message) {
        super(message);
    }

    /** The key (or transaction, or version) does not exist. */
    public static final class NotFound extends MinikvException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** A conditional request's condition (If-Match, If-None-Match) does not hold. */
    public static final class PreconditionFailed extends MinikvException {
        public PreconditionFailed(String message) {
            super(message);
        }
    }

    /** The request is malformed: a bad key, a size or checksum that does not match the data. */
    public static final class InvalidArgument extends MinikvException {
        public InvalidArgument(String message) {
            super(message);
        }
    }

    /** The request exceeds a limit (blob size, key size). */
    public static final class TooLarge extends MinikvException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** The service cannot take the request now (too many concurrent uploads, no quorum, no leader); retry later. */
    public static final class Unavailable extends MinikvException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The request conflicts with the current state (a transaction id reused, a newer version committed). */
    public static final class Conflict extends MinikvException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** Stored data failed its checksum; it is not served. */
    public static final class Corrupt extends MinikvException {
        public Corrupt(String message) {
            super(message);
        }
    }

    /**
     * No answer came in time. The request may still have taken effect: a write that timed out
     * may have been committed.
     */
    public static final class Timeout extends MinikvException {
        public Timeout(String message) {
            super(message);
        }
    }
}
