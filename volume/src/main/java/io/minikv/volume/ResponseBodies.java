package io.minikv.volume;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sends complete bodies that are already in memory (JSON, metrics). The web server does not strip
 * bodies from HEAD responses by itself, so this does: a HEAD gets the headers of the GET, with its
 * Content-Length, and no body.
 */
public final class ResponseBodies {
    private ResponseBodies() {}

    public static void json(ServerRequest req, ServerResponse res, Object value) {
        send(req, res, Json.CONTENT_TYPE, Json.bytes(value));
    }

    public static void send(ServerRequest req, ServerResponse res, String contentType, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        if (req.prologue().method().equals(Method.HEAD)) {
            res.contentLength(body.length);
            res.send();
        } else {
            res.send(body);
        }
    }
}
