package io.minikv.coordinator;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.CoordinatorState;
import io.minikv.volume.BodyIdleTimeout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Sends a request a follower cannot serve (a write, a membership change, an admin operation) to
 * the leader's HTTP API and relays the answer, bodies streamed both ways. A forwarded request is
 * marked, so that it is never forwarded twice (the leader changed meanwhile: 503, retry).
 *
 * <p>Helidon's blocking HTTP/1.1 client runs on the calling virtual thread over kept-alive
 * connections; the JDK client it replaced handed every exchange to its selector thread and back,
 * which cost a follower more CPU than serving the request itself.
 */
final class LeaderForwarder {
    static final HeaderName FORWARDED_BY = HeaderNames.create("X-Minikv-Forwarded-By");
    private static final List<HeaderName> REQUEST_HEADERS =
            List.of(HeaderNames.CONTENT_TYPE, HeaderNames.IF_MATCH, HeaderNames.IF_NONE_MATCH);
    private static final List<HeaderName> RESPONSE_HEADERS = List.of(
            HeaderNames.CONTENT_TYPE,
            HeaderNames.ETAG,
            HeaderNames.ALLOW,
            HeaderNames.CONTENT_RANGE,
            HeaderNames.LAST_MODIFIED,
            HeaderNames.ACCEPT_RANGES,
            HeaderNames.create("X-Minikv-Version"));

    private final RaftNode raft;
    private final MetadataState state;
    private final Http1Client http = Http1Client.builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofMinutes(30))
            .sendExpectContinue(false)
            .connectionCacheSize(1024)
            .build();

    private final BodyIdleTimeout bodyIdleTimeout;

    LeaderForwarder(RaftNode raft, MetadataState state, BodyIdleTimeout bodyIdleTimeout) {
        this.raft = raft;
        this.state = state;
        this.bodyIdleTimeout = bodyIdleTimeout;
    }

    void forward(ServerRequest req, ServerResponse res) throws IOException {
        if (req.headers().contains(FORWARDED_BY)) {
            throw new MinikvException.Unavailable("the leader changed while the request was forwarded; retry");
        }
        String leader = raft.leaderId();
        if (leader == null || leader.equals(raft.id())) {
            throw new MinikvException.Unavailable("no coordinator is the leader now; retry");
        }
        CoordinatorState target = state.coordinator(leader)
                .orElseThrow(() -> new MinikvException.Unavailable(
                        "the leader " + leader + " has not announced its address yet; retry"));
        String query = req.query().rawValue();
        Http1ClientRequest request = http.method(
                        Method.create(req.prologue().method().text()))
                .uri(URI.create("http://" + target.getHttpAddress() + req.path().rawPath()
                        + (query.isEmpty() ? "" : "?" + query)))
                .header(FORWARDED_BY, raft.id());
        for (HeaderName name : REQUEST_HEADERS) {
            req.headers().first(name).ifPresent(value -> request.header(name, value));
        }
        try (HttpClientResponse answer = send(request, req)) {
            relay(answer, res);
        } catch (UncheckedIOException e) {
            throw unavailable(leader, e.getCause());
        } catch (RuntimeException e) {
            throw unavailable(leader, ioCause(e));
        }
    }

    /**
     * The IOException inside {@code e}: Helidon 4.5 reports a read that failed on a reused
     * connection's idle monitor as a plain RuntimeException around it (helidon-io/helidon#12339).
     * Anything else is a bug and goes up as it is.
     */
    private static IOException ioCause(RuntimeException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
        }
        throw e;
    }

    private HttpClientResponse send(Http1ClientRequest request, ServerRequest req) {
        if (!req.content().hasEntity()) {
            return request.request();
        }
        req.headers()
                .contentLength()
                .ifPresent(length -> request.header(HeaderNames.CONTENT_LENGTH, Long.toString(length)));
        return request.outputStream(out -> {
            try (InputStream body = bodyIdleTimeout.body(req)) {
                body.transferTo(out);
            }
            out.close();
        });
    }

    private static MinikvException unavailable(String leader, IOException cause) {
        if (cause instanceof ConnectException) {
            return new MinikvException.Unavailable("the leader " + leader + " cannot be reached; retry");
        }
        if (cause instanceof SocketTimeoutException) {
            return new MinikvException.Unavailable(
                    "the leader " + leader + " did not answer in time; the outcome is unknown");
        }
        return new MinikvException.Unavailable("the connection to the leader " + leader + " failed ("
                + cause.getMessage() + "); the outcome is unknown");
    }

    private static void relay(HttpClientResponse answer, ServerResponse res) throws IOException {
        int status = answer.status().code();
        res.status(Status.create(status));
        for (HeaderName name : RESPONSE_HEADERS) {
            answer.headers().first(name).ifPresent(value -> res.header(name, value));
        }
        long length = answer.headers().contentLength().orElse(-1);
        if (length == 0 || status == 204 || status == 304) {
            answer.entity().consume();
            res.send();
            return;
        }
        if (length > 0) {
            res.contentLength(length);
        }
        try (InputStream body = answer.inputStream();
                OutputStream out = res.outputStream()) {
            body.transferTo(out);
        }
    }
}
