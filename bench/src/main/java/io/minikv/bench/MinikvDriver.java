package io.minikv.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * minikv through its public HTTP API on the coordinators (docs/protocol.md, "Coordinators: public
 * HTTP"): {@code PUT /blobs/{key}} with the raw value, {@code GET /blobs/{key}}. Requests are spread
 * over all coordinators by client; a follower forwards writes to the leader and answers reads itself
 * after a linearizable read index. One JDK {@link HttpClient} over HTTP/1.1 keeps a connection per
 * request in flight.
 */
final class MinikvDriver implements KvDriver {
    private final List<URI> coordinators;
    private final Duration timeout;
    private final HttpClient http;

    MinikvDriver(List<URI> coordinators, Duration timeout) {
        this.coordinators = List.copyOf(coordinators);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public void put(int client, String key, byte[] value) throws IOException, InterruptedException {
        HttpRequest request = request(client, key)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value))
                .build();
        expect(201, request);
    }

    @Override
    public int get(int client, String key) throws IOException, InterruptedException {
        return expect(200, request(client, key).GET().build()).length;
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(int client, String key) {
        URI coordinator = coordinators.get(client % coordinators.size());
        return HttpRequest.newBuilder(coordinator.resolve("/blobs/" + key)).timeout(timeout);
    }

    private byte[] expect(int status, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != status) {
            throw new IOException("minikv: " + request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }
}
