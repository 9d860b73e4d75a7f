package io.minikv.volume;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.HttpStatuses;
import io.minikv.proto.MinikvException;
import io.minikv.storage.CorruptRecordException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed request is answered: the one place where failures become HTTP statuses (domain
 * errors through {@link HttpStatuses#of}), {@code {"error": "..."}} bodies and log lines. Client
 * errors are logged at debug level only, refusals for overload as warnings; server-side failures
 * get one error line with their cause.
 */
public final class ErrorResponses {
    /**
     * A request body up to this many bytes that the handler left unread is read and dropped, so
     * the connection can serve the next request; past it the connection is closed after the
     * answer instead of receiving, say, a refused gigabyte.
     */
    static final long DRAIN_LIMIT = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    /**
     * What became of a failed request.
     *
     * @param status the status label for metrics: the code sent, or {@code aborted}
     * @param closeConnection whether the connection must be closed now
     */
    public record Answer(String status, boolean closeConnection) {}

    /**
     * Answers a failed request with its status and a JSON error. When the response has already
     * begun (a value that fails its checksum halfway through a download), nothing can be
     * answered any more: the connection is to be closed, so that the client sees a broken
     * response and never a clean but wrong body.
     */
    public static Answer respond(ServerRequest req, ServerResponse res, Throwable error) {
        String request = req.prologue().method().text() + " " + req.path().rawPath();
        if (isConnectionLoss(error)) {
            LOG.debug("{}: connection lost: {}", request, error.toString());
            return new Answer("aborted", true);
        }
        MinikvException domain = domainError(error);
        int status = error instanceof HttpRefusal refusal
                ? refusal.status()
                : domain != null ? HttpStatuses.of(domain) : 500;
        String message =
                error instanceof HttpRefusal || domain != null ? messageOf(error, domain) : "internal server error";
        if (!(res instanceof RoutingResponse routing) || !routing.reset()) {
            LOG.error(
                    "{}: aborted the response after {} bytes: {}",
                    request,
                    res.bytesWritten(),
                    describe(error, domain));
            return new Answer("aborted", true);
        }
        if (status >= 500 && domain == null) {
            LOG.error("{}: {} {}", request, status, describe(error, null), error);
        } else if (domain instanceof MinikvException.Unavailable) {
            LOG.warn("{}: {} {}", request, status, message);
        } else if (status >= 500) {
            LOG.error("{}: {} {}", request, status, message);
        } else {
            LOG.debug("{}: {} {}", request, status, message);
        }
        boolean close = bodyLeftUnread(req);
        res.status(Status.create(status));
        if (error instanceof HttpRefusal refusal) {
            for (Map.Entry<String, String> header : refusal.headers().entrySet()) {
                res.header(HeaderNames.create(header.getKey()), header.getValue());
            }
        }
        if (close) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        ResponseBodies.json(req, res, new Json.ErrorBody(message));
        return new Answer(String.valueOf(status), close);
    }

    /**
     * Answers the errors the web server detects itself, before any route runs (a malformed request
     * line or header), with the same JSON body as every other error.
     */
    public static DirectHandler transportErrors() {
        return (request, eventType, status, headers, message) -> {
            String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE)
                    .entity(Json.bytes(new Json.ErrorBody(text)))
                    .build();
        };
    }

    /** The domain error a failure stands for, or null when it is none (a bug, an I/O failure). */
    private static MinikvException domainError(Throwable error) {
        return switch (error) {
            case MinikvException e -> e;
            case CorruptRecordException e -> new MinikvException.Corrupt("stored data failed its checksum");
            default -> null;
        };
    }

    private static String messageOf(Throwable error, MinikvException domain) {
        String message = domain != null ? domain.getMessage() : error.getMessage();
        return message == null || message.isBlank() ? "request failed" : message;
    }

    private static String describe(Throwable error, MinikvException domain) {
        if (error instanceof CorruptRecordException corrupt) {
            return "stored data failed its checksum (" + corrupt.report() + ")";
        }
        return domain != null ? domain.getMessage() : error.toString();
    }

    /** A failure of the connection itself (the client went away), not of the request. */
    private static boolean isConnectionLoss(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof CloseConnectionException
                    || e instanceof ServerConnectionException
                    || e instanceof SocketException
                    || (e instanceof UncheckedIOException && e.getCause() instanceof SocketException)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether answering now would leave request body bytes unread that are not worth reading: a
     * client waiting for {@code 100 Continue} that it will not get, a body of unknown length, or
     * one past {@link #DRAIN_LIMIT}.
     */
    private static boolean bodyLeftUnread(ServerRequest req) {
        if (!req.content().hasEntity() || req.content().consumed()) {
            return false;
        }
        if (req.headers().containsToken(HeaderValues.EXPECT_100) && !req.continueSent()) {
            return true;
        }
        long length = req.headers().contentLength().orElse(-1);
        return length < 0 || length > DRAIN_LIMIT;
    }
}
