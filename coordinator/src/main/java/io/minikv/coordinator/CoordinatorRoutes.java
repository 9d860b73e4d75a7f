package io.minikv.coordinator;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.volume.ErrorResponses;
import io.minikv.volume.HttpRefusal;
import io.minikv.volume.KeyPath;
import io.minikv.volume.ResponseBodies;
import io.minikv.volume.UploadSlots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A coordinator's HTTP API: which path is which route, which methods each takes, which requests
 * only the leader can serve (a follower forwards them), and what each request costs in the metrics.
 */
final class CoordinatorRoutes {
    static final String KV_PREFIX = "/api/v1/kv/";
    static final String NODES_PREFIX = "/api/v1/cluster/nodes/";
    /**
     * On every answer, the leader's HTTP address as this coordinator knows it: a client can send its
     * writes there and spare a follower the forwarding.
     */
    static final HeaderName LEADER = HeaderNames.create("X-Minikv-Leader");

    enum Route {
        BLOB("/blobs/{key}", List.of(Method.GET, Method.HEAD, Method.PUT, Method.POST, Method.DELETE)),
        BLOBS("/blobs", List.of(Method.GET, Method.HEAD)),
        KV("/api/v1/kv/{key}", List.of(Method.GET, Method.PUT, Method.DELETE)),
        KV_LIST("/api/v1/kv", List.of(Method.GET)),
        STATUS("/api/v1/cluster/status", List.of(Method.GET)),
        NODES("/api/v1/cluster/nodes", List.of(Method.POST)),
        NODE("/api/v1/cluster/nodes/{id}", List.of(Method.DELETE)),
        VERIFY("/api/v1/admin/verify", List.of(Method.POST)),
        REPAIR("/api/v1/admin/repair", List.of(Method.POST)),
        REBALANCE("/api/v1/admin/rebalance", List.of(Method.POST)),
        COMPACT("/api/v1/admin/compact", List.of(Method.POST)),
        HEARTBEAT("/internal/v1/heartbeat", List.of(Method.POST)),
        HEALTH("/health", List.of(Method.GET, Method.HEAD)),
        METRICS("/metrics", List.of(Method.GET, Method.HEAD)),
        NONE("unmatched", List.of());

        final String label;
        final List<Method> methods;

        Route(String label, List<Method> methods) {
            this.label = label;
            this.methods = methods;
        }

        static Route of(String path) {
            return switch (path) {
                case "/blobs" -> BLOBS;
                case "/api/v1/kv" -> KV_LIST;
                case "/api/v1/cluster/status" -> STATUS;
                case "/api/v1/cluster/nodes" -> NODES;
                case "/api/v1/admin/verify" -> VERIFY;
                case "/api/v1/admin/repair" -> REPAIR;
                case "/api/v1/admin/rebalance" -> REBALANCE;
                case "/api/v1/admin/compact" -> COMPACT;
                case "/internal/v1/heartbeat" -> HEARTBEAT;
                case "/health", "/api/v1/health" -> HEALTH;
                case "/metrics", "/api/v1/metrics" -> METRICS;
                default ->
                    path.startsWith(KeyPath.PREFIX)
                            ? BLOB
                            : path.startsWith(KV_PREFIX) ? KV : path.startsWith(NODES_PREFIX) ? NODE : NONE;
            };
        }

        /** Whether only the leader serves this request. */
        boolean leaderOnly(Method method) {
            return switch (this) {
                case BLOB, KV ->
                    method.equals(Method.PUT) || method.equals(Method.POST) || method.equals(Method.DELETE);
                case VERIFY, REPAIR, REBALANCE, COMPACT -> true;
                default -> false;
            };
        }
    }

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final RaftNode raft;
    private final MetadataState state;
    private final BlobApi blobs;
    private final ClusterApi cluster;
    private final LeaderForwarder forwarder;
    private final UploadSlots puts;
    private final CoordinatorMetrics metrics;

    CoordinatorRoutes(
            RaftNode raft,
            MetadataState state,
            BlobApi blobs,
            ClusterApi cluster,
            LeaderForwarder forwarder,
            UploadSlots puts,
            CoordinatorMetrics metrics) {
        this.raft = raft;
        this.state = state;
        this.blobs = blobs;
        this.cluster = cluster;
        this.forwarder = forwarder;
        this.puts = puts;
        this.metrics = metrics;
    }

    void handle(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        Method method = req.prologue().method();
        Route route = Route.of(req.path().rawPath());
        String status = "aborted";
        String leader = raft.leaderId();
        if (leader != null) {
            state.coordinator(leader).ifPresent(known -> res.header(LEADER, known.getHttpAddress()));
        }
        UploadSlots.Slot slot = null;
        try {
            // A put holds one of the coordinator's put slots from before its body is read until it is answered.
            if (isPut(route, method)) {
                slot = puts.take();
            }
            dispatch(route, method, req, res);
            status = String.valueOf(res.status().code());
        } catch (IOException | RuntimeException e) {
            ErrorResponses.Answer answer = ErrorResponses.respond(req, res, e);
            status = answer.status();
            if (answer.closeConnection()) {
                throw new CloseConnectionException("closing after " + status, e);
            }
        } finally {
            if (slot != null) {
                slot.close();
            }
            metrics.request(route.label, method.text(), status, System.nanoTime() - start);
        }
    }

    private static boolean isPut(Route route, Method method) {
        return switch (route) {
            case BLOB -> method.equals(Method.PUT) || method.equals(Method.POST);
            case KV -> method.equals(Method.PUT);
            default -> false;
        };
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
        if (route.leaderOnly(method) && !raft.isLeaderReady()) {
            forwarder.forward(req, res);
            return;
        }
        String path = req.path().rawPath();
        switch (route) {
            case BLOB -> {
                String key = KeyPath.key(path);
                if (method.equals(Method.GET) || method.equals(Method.HEAD)) {
                    blobs.get(req, res, key, method.equals(Method.GET));
                } else if (method.equals(Method.DELETE)) {
                    blobs.delete(res, key);
                } else {
                    blobs.put(req, res, key);
                }
            }
            case BLOBS -> blobs.list(req, res, false);
            case KV -> {
                String key = KeyPath.key(path, KV_PREFIX);
                if (method.equals(Method.GET)) {
                    blobs.kvGet(req, res, key);
                } else if (method.equals(Method.DELETE)) {
                    blobs.delete(res, key);
                } else {
                    blobs.kvPut(req, res, key);
                }
            }
            case KV_LIST -> blobs.list(req, res, true);
            case STATUS -> cluster.status(req, res);
            case NODES -> cluster.addNode(req, res);
            case NODE -> cluster.removeNode(req, res, path.substring(NODES_PREFIX.length()));
            case VERIFY -> cluster.verify(req, res);
            case REPAIR -> cluster.repair(req, res);
            case REBALANCE -> cluster.rebalance(req, res);
            case COMPACT -> cluster.compact(req, res);
            case HEARTBEAT -> cluster.heartbeat(req, res);
            case HEALTH -> cluster.health(req, res);
            case METRICS ->
                ResponseBodies.send(req, res, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case NONE -> throw new HttpRefusal(404, "no such route: " + path, Map.of());
        }
    }
}
