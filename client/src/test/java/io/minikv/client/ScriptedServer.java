package io.minikv.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** A loopback HTTP server that answers every request as its script says and records what it got. */
final class ScriptedServer implements AutoCloseable {
    /** A request as received: method, path with query, body as text and its length in bytes. */
    record Request(String method, String target, String body, int bodyLength) {}

    /** How the server answers one request. */
    interface Script {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Script script = json(404, "{\"error\":\"no script\"}");

    ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    new String(body, UTF_8),
                    body.length));
            this.script.answer(exchange);
            exchange.close();
        });
        server.start();
    }

    ScriptedServer answering(Script script) {
        this.script = script;
        return this;
    }

    /** Answers with {@code status} and a JSON body. */
    static Script json(int status, String json) {
        return exchange -> {
            byte[] bytes = json.getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** Never answers (until the server stops). */
    Script silent() {
        return exchange -> {
            try {
                stopping.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
    }
}
