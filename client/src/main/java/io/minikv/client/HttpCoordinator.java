package io.minikv.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A coordinator's public HTTP routes, through {@link HttpClient}: bodies stream both ways. A
 * request without a body waits up to the timeout for the answer's headers; an upload waits as
 * long as its body keeps moving, and then up to the timeout for the answer. Reading an answer's
 * body has no time limit.
 */
final class HttpCoordinator implements Coordinator {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final String name;
    private final String address;
    private final HttpRoutes routes;
    private final HttpClient http;
    private final Duration timeout;
    private final LeaderHint leader;

    HttpCoordinator(URI base, HttpClient http, Duration timeout, LeaderHint leader) {
        this.name = base.toString();
        this.address = base.getHost() + ":" + (base.getPort() < 0 ? 80 : base.getPort());
        this.routes = new HttpRoutes(base);
        this.http = http;
        this.timeout = timeout;
        this.leader = leader;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String address() {
        return address;
    }

    /** Bodies above this size are sent only after the server's 100 Continue. */
    private static final long EXPECT_CONTINUE_FROM = 1 << 20;

    @Override
    public PutResult put(String key, Body body, String contentType, Condition condition) {
        HttpRequest.Builder request = HttpRequest.newBuilder(routes.blob(key)).header("Content-Type", contentType);
        switch (condition) {
            case Condition.None ignored -> {}
            case Condition.IfAbsent ignored -> request.header("If-None-Match", "*");
            case Condition.IfMatch(String etag) -> request.header("If-Match", "\"" + etag + "\"");
        }
        // A large or unsized body asks first (Expect: 100-continue): a server that refuses it (413,
        // 412) answers before any byte is sent, instead of closing the connection under the upload.
        request.expectContinue(body.length() < 0 || body.length() > EXPECT_CONTINUE_FROM);
        BodyPublisher stream = BodyPublishers.ofInputStream(body::open);
        BodyPublisher publisher = body.length() == 0
                ? BodyPublishers.noBody()
                : body.length() > 0 ? BodyPublishers.fromPublisher(stream, body.length()) : stream;
        HttpResponse<InputStream> response =
                awaitWhileUploading(http.sendAsync(request.PUT(publisher).build(), BodyHandlers.ofInputStream()), body);
        return json(expect(response, 201), PutResult.class);
    }

    @Override
    public Blob get(String key) {
        HttpResponse<InputStream> response = expect(send(HttpRequest.newBuilder(routes.blob(key))), 200);
        return new Blob(metadata(key, response.headers()), response.body());
    }

    @Override
    public BlobMetadata head(String key) {
        HttpResponse<InputStream> response =
                expect(send(HttpRequest.newBuilder(routes.blob(key)).method("HEAD", BodyPublishers.noBody())), 200);
        close(response);
        return metadata(key, response.headers());
    }

    @Override
    public void delete(String key) {
        close(expect(send(HttpRequest.newBuilder(routes.blob(key)).DELETE()), 204));
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        return List.of(json(
                expect(send(HttpRequest.newBuilder(routes.blobs(prefix, startAfter, limit))), 200), String[].class));
    }

    @Override
    public ClusterStatus status() {
        return json(expect(send(HttpRequest.newBuilder(routes.clusterStatus())), 200), ClusterStatus.class);
    }

    @Override
    public Health health() {
        return json(expect(send(HttpRequest.newBuilder(routes.health())), 200), Health.class);
    }

    @Override
    public List<CoordinatorInfo> addNode(String id, String raftAddress) {
        String request = JSON.createObjectNode()
                .put("node_id", id)
                .put("address", raftAddress)
                .toString();
        return json(
                        expect(
                                send(HttpRequest.newBuilder(routes.clusterNodes())
                                        .header("Content-Type", "application/json")
                                        .POST(BodyPublishers.ofString(request))),
                                200),
                        Membership.class)
                .coordinators();
    }

    @Override
    public List<CoordinatorInfo> removeNode(String id) {
        return json(expect(send(HttpRequest.newBuilder(routes.clusterNode(id)).DELETE()), 200), Membership.class)
                .coordinators();
    }

    JsonNode verify(boolean deep) {
        return admin(routes.verify(deep));
    }

    JsonNode repair(Integer replicas, boolean dryRun) {
        return admin(routes.repair(replicas, dryRun));
    }

    JsonNode rebalance() {
        return admin(routes.rebalance());
    }

    JsonNode compact(Integer shard) {
        return admin(routes.compact(shard));
    }

    @Override
    public void close() {
        // The HttpClient is shared by every coordinator; MinikvClient closes it.
    }

    /** The body of the membership answers. */
    private record Membership(List<CoordinatorInfo> coordinators) {}

    private JsonNode admin(URI uri) {
        return json(expect(send(HttpRequest.newBuilder(uri).POST(BodyPublishers.noBody())), 200), JsonNode.class);
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(timeout).build(), BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw HttpFailures.ofBreak(name, e, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + name);
        }
    }

    /**
     * Waits for the answer to an upload as long as the body keeps moving: a timeout passes only
     * when, for a whole {@code timeout}, no byte was taken from the body and no answer came.
     */
    private HttpResponse<InputStream> awaitWhileUploading(
            CompletableFuture<HttpResponse<InputStream>> answer, Body body) {
        long seen = body.taken();
        while (true) {
            try {
                return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                long now = body.taken();
                if (now == seen) {
                    answer.cancel(true);
                    throw HttpFailures.timeout(name, timeout);
                }
                seen = now;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                while (cause instanceof CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                if (cause instanceof IOException io) {
                    throw HttpFailures.ofBreak(name, io, timeout);
                }
                throw new UnexpectedResponseException(name + ": " + cause, cause);
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while uploading to " + name);
            }
        }
    }

    private HttpResponse<InputStream> expect(HttpResponse<InputStream> response, int status) {
        response.headers().firstValue("X-Minikv-Leader").ifPresent(leader::named);
        if (response.statusCode() != status) {
            throw HttpFailures.ofAnswer(name, response);
        }
        return response;
    }

    private <T> T json(HttpResponse<InputStream> response, Class<T> type) {
        try (InputStream body = response.body()) {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UnexpectedResponseException(
                    name + " answered with a body that does not parse: " + e.getMessage(), e);
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BlobMetadata metadata(String key, HttpHeaders headers) {
        String etag = headers.firstValue("ETag").orElse("");
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            etag = etag.substring(1, etag.length() - 1);
        }
        return new BlobMetadata(
                key,
                headers.firstValueAsLong("X-Minikv-Version").orElse(0),
                headers.firstValueAsLong("Content-Length").orElse(-1),
                etag,
                headers.firstValue("Content-Type").orElse("application/octet-stream"));
    }
}
