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
        };
    }
}
