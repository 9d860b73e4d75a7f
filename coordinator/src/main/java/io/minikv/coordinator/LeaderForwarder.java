package io.minikv.coordinator;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.CoordinatorState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Sends a request a follower cannot serve (a write, a membership change, an admin operation) to
 * the leader's HTTP API and relays the answer, bodies streamed both ways. A forwarded request is
 * marked, so that it is never forwarded twice (the leader changed meanwhile: 503, retry).
 */
final class LeaderForwarder {
    static final HeaderName FORWARDED_BY = HeaderNames.create("X-Minikv-Forwarded-By");
    private static final List<HeaderName> REQUEST_HEADERS =
            List.of(HeaderNames.CONTENT_TYPE, HeaderNames.IF_MATCH, HeaderNames.IF_NONE_MATCH);
    private static final List<String> RESPONSE_HEADERS = List.of(
            "content-type", "etag", "allow", "content-range", "last-modified", "accept-ranges", "x-minikv-version");

    private final RaftNode raft;
    private final MetadataState state;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    LeaderForwarder(RaftNode raft, MetadataState state) {
        this.raft = raft;
        this.state = state;
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
        URI uri = URI.create(
                "http://" + target.getHttpAddress() + req.path().rawPath() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(30))
                .header(FORWARDED_BY.defaultCase(), raft.id());
        for (HeaderName name : REQUEST_HEADERS) {
            req.headers().first(name).ifPresent(value -> request.header(name.defaultCase(), value));
        }
        request.method(req.prologue().method().text(), body(req));
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new MinikvException.Unavailable("the leader " + leader + " cannot be reached; retry");
        } catch (HttpTimeoutException e) {
            throw new MinikvException.Unavailable(
                    "the leader " + leader + " did not answer in time; the outcome is unknown");
        } catch (IOException e) {
            throw new MinikvException.Unavailable("the connection to the leader " + leader + " failed ("
                    + e.getMessage() + "); the outcome is unknown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinikvException.Unavailable("interrupted while forwarding to the leader");
        }
        relay(answer, res);
    }

    private static HttpRequest.BodyPublisher body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream =
                HttpRequest.BodyPublishers.ofInputStream(() -> req.content().inputStream());
        long length = req.headers().contentLength().orElse(-1);
        return length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    private static void relay(HttpResponse<InputStream> answer, ServerResponse res) throws IOException {
        res.status(Status.create(answer.statusCode()));
        HttpHeaders headers = answer.headers();
        for (String name : RESPONSE_HEADERS) {
            headers.firstValue(name).ifPresent(value -> res.header(name, value));
        }
        try (InputStream body = answer.body()) {
            long length = headers.firstValueAsLong("content-length").orElse(-1);
            if (length == 0 || answer.statusCode() == 204 || answer.statusCode() == 304) {
                res.send();
                return;
            }
            if (length > 0) {
                res.contentLength(length);
            }
            try (OutputStream out = res.outputStream()) {
                body.transferTo(out);
            }
        }
    }
}
