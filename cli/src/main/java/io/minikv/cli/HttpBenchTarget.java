package io.minikv.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The {@code /blobs} HTTP API of a volume or coordinator, through the JDK's HTTP client. */
final class HttpBenchTarget implements BenchTarget {
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    HttpBenchTarget(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public boolean put(long key, byte[] value) {
        HttpRequest request = HttpRequest.newBuilder(uri(key))
                .timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value))
                .build();
        return send(request, 201);
    }

    @Override
    public boolean get(long key) {
        HttpRequest request =
                HttpRequest.newBuilder(uri(key)).timeout(timeout).GET().build();
        return send(request, 200);
    }

    private boolean send(HttpRequest request, int expected) {
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == expected;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private URI uri(long key) {
        return base.resolve("/blobs/" + BenchLoad.KEY_PREFIX + key);
    }

    @Override
    public void close() {
        http.close();
    }
}
