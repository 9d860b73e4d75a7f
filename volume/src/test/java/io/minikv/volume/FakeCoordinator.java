package io.minikv.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A coordinator's heartbeat route on a real socket, recording every heartbeat it is sent: enough
 * coordinator for a volume to talk to. A silent one accepts heartbeats and never answers, like a
 * coordinator stuck in a pause.
 */
final class FakeCoordinator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request received: what a volume sent. */
    record Received(String method, String contentType, JsonNode body) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    private FakeCoordinator(boolean silent) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(CoordinatorHeartbeats.PATH, exchange -> handle(exchange, silent));
        server.start();
    }

    /** A coordinator that answers every heartbeat with 200 {@code {"leader":false}}. */
    static FakeCoordinator answering() throws IOException {
        return new FakeCoordinator(false);
    }

    /** A coordinator that records heartbeats and never answers them. */
    static FakeCoordinator silent() throws IOException {
        return new FakeCoordinator(true);
    }

    private void handle(HttpExchange exchange, boolean silent) throws IOException {
        try (exchange) {
            received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    JSON.readTree(exchange.getRequestBody())));
            if (silent) {
                released.await();
                return;
            }
            byte[] body = "{\"leader\":false}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
