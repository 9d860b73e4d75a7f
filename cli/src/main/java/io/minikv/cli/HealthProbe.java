package io.minikv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a node's {@code GET /health} whether it serves and, for a coordinator, whether it leads. */
final class HealthProbe implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A node's answer; a node that does not answer, or not with 200, is not serving. */
    record Health(boolean serving, boolean leader) {
        static final Health NOT_SERVING = new Health(false, false);
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    Health check(URI node) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(node.resolve("/health")).timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Health.NOT_SERVING;
            }
            JsonNode body = JSON.readTree(response.body());
            return new Health(true, "leader".equals(body.path("role").asText()));
        } catch (IOException notServingYet) {
            return Health.NOT_SERVING;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
