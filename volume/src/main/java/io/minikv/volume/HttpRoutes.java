package io.minikv.volume;

import io.helidon.http.Method;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A volume's HTTP API: which path is which route, which methods each route takes, and what every
 * request costs in the metrics. Any path that is no route is a 404, a method a route does not take
 * a 405; every failure is answered through {@link ErrorResponses}.
 */
final class HttpRoutes {
    /** The routes, with the label each one has in the metrics. */
    enum Route {
        BLOB("/blobs/{key}", List.of(Method.GET, Method.HEAD, Method.PUT, Method.POST, Method.DELETE)),
        BLOBS("/blobs", List.of(Method.GET, Method.HEAD)),
        HEALTH("/health", List.of(Method.GET, Method.HEAD)),
        METRICS("/metrics", List.of(Method.GET, Method.HEAD)),
        NONE("unmatched", List.of());

        final String label;
        final List<Method> methods;

        Route(String label, List<Method> methods) {
            this.label = label;
            this.methods = methods;
        }

        static Route of(String rawPath) {
            return switch (rawPath) {
                case "/blobs" -> BLOBS;
                case "/health", "/api/v1/health" -> HEALTH;
                case "/metrics", "/api/v1/metrics" -> METRICS;
                default -> rawPath.startsWith(KeyPath.PREFIX) ? BLOB : NONE;
            };
        }
    }

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final BlobEndpoints blobs;
    private final HealthEndpoint health;
    private final VolumeMetrics metrics;

    HttpRoutes(BlobEndpoints blobs, HealthEndpoint health, VolumeMetrics metrics) {
        this.blobs = blobs;
        this.health = health;
        this.metrics = metrics;
    }

    void handle(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        Method method = req.prologue().method();
        Route route = Route.of(req.path().rawPath());
        String status = "aborted";
        try {
            dispatch(route, method, req, res);
            status = String.valueOf(res.status().code());
        } catch (IOException | RuntimeException e) {
            ErrorResponses.Answer answer = ErrorResponses.respond(req, res, e);
            status = answer.status();
            if (answer.closeConnection()) {
                throw new CloseConnectionException("closing after " + status, e);
            }
        } finally {
            metrics.request(route.label, method.text(), status, System.nanoTime() - start);
        }
    }

    private void dispatch(Route route, Method method, ServerRequest req, ServerResponse res) throws IOException {
        if (route != Route.NONE && !route.methods.contains(method)) {
            throw new HttpRefusal(
                    405,
                    "method " + method.text() + " is not allowed on " + route.label,
                    Map.of(
                            "Allow",
                            String.join(
                                    ", ",
                                    route.methods.stream().map(Method::text).toList())));
        }
        switch (route) {
            case BLOB -> {
                boolean write = !method.equals(Method.GET) && !method.equals(Method.HEAD);
                if (write) {
                    blobs.refuseWritesOnReplica();
                }
                String key = KeyPath.key(req.path().rawPath());
                if (method.equals(Method.GET)) {
                    blobs.get(req, res, key);
                } else if (method.equals(Method.HEAD)) {
                    blobs.head(req, res, key);
                } else if (method.equals(Method.DELETE)) {
                    blobs.delete(req, res, key);
                } else {
                    blobs.put(req, res, key);
                }
            }
            case BLOBS -> blobs.list(req, res);
            case HEALTH -> health.get(req, res);
            case METRICS ->
                ResponseBodies.send(req, res, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case NONE ->
                throw new HttpRefusal(404, "no such route: " + req.path().rawPath(), Map.of());
        }
    }
}
