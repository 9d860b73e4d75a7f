package io.minikv.proto;

/** The HTTP status of each {@link MinikvException}: the one place where errors meet HTTP. */
public final class HttpStatuses {
    private HttpStatuses() {}

    public static int of(MinikvException e) {
        return switch (e) {
            case MinikvException.NotFound ignored -> 404;
            case MinikvException.PreconditionFailed ignored -> 412;
            case MinikvException.InvalidArgument ignored -> 400;
            case MinikvException.TooLarge ignored -> 413;
            case MinikvException.Unavailable ignored -> 503;
            case MinikvException.Conflict ignored -> 409;
            case MinikvException.Corrupt ignored -> 500;
            case MinikvException.Timeout ignored -> 504;
        };
    }

    /**
     * The domain error an HTTP error status stands for, or null for statuses that are not domain
     * errors. 500 is left out: a server answers it for any failure of its own, not only for
     * corrupt data.
     */
    public static MinikvException fromStatus(int status, String message) {
        return switch (status) {
            case 404 -> new MinikvException.NotFound(message);
            case 412 -> new MinikvException.PreconditionFailed(message);
            case 400 -> new MinikvException.InvalidArgument(message);
            case 413 -> new MinikvException.TooLarge(message);
            case 503 -> new MinikvException.Unavailable(message);
            case 409 -> new MinikvException.Conflict(message);
            case 504 -> new MinikvException.Timeout(message);
            default -> null;
        };
    }
}
