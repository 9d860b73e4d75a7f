package io.minikv.volume;

import java.util.Map;

/**
 * A request refused for a reason of HTTP itself rather than of the blobs: a method the route does
 * not allow, a range outside the blob, a path that is no route. Domain errors are {@link
 * io.minikv.proto.MinikvException}s instead. It carries its 4xx status and the extra response
 * headers that go with it (Allow, Content-Range).
 */
public final class HttpRefusal extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    public HttpRefusal(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }
}
