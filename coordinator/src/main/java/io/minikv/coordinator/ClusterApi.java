package io.minikv.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.MinikvException;
import io.minikv.proto.Shards;
import io.minikv.volume.BodyIdleTimeout;
import io.minikv.volume.HostPort;
import io.minikv.volume.ResponseBodies;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The cluster routes of a coordinator: status, membership of the Raft group, health, the volumes'
 * heartbeats and the repair operation.
 */
final class ClusterApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final RaftNode raft;
    private final CoordinatorConfig config;
    private final VolumeLiveness liveness;
    private final ClusterOperations operations;
    private final ClusterView view;
    private final Membership membership;
    private final BodyIdleTimeout bodyIdleTimeout;

    ClusterApi(
            RaftNode raft,
            MetadataState state,
            CoordinatorConfig config,
            VolumeLiveness liveness,
            ClusterOperations operations,
            BodyIdleTimeout bodyIdleTimeout) {
        this.raft = raft;
        this.bodyIdleTimeout = bodyIdleTimeout;
        this.config = config;
        this.liveness = liveness;
        this.operations = operations;
        this.view = new ClusterView(raft, state, config);
        this.membership = new Membership(raft, view);
    }

    void status(ServerRequest req, ServerResponse res) {
        ResponseBodies.json(req, res, view.status());
    }

    void health(ServerRequest req, ServerResponse res) {
        ClusterView.Health health = view.health();
        if (!health.healthy()) {
            res.status(Status.SERVICE_UNAVAILABLE_503);
        }
        ResponseBodies.json(req, res, health);
    }

    void heartbeat(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode body = readJson(req);
        String id = text(body, "volume_id");
        String http = text(body, "http_address");
        String grpc = text(body, "grpc_address");
        address(http);
        address(grpc);
        liveness.heartbeat(new VolumeLiveness.Heartbeat(id, http, grpc));
        ResponseBodies.json(req, res, Map.of("leader", raft.isLeader()));
    }

    void addNode(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode body = readJson(req);
        ResponseBodies.json(
                req, res, Map.of("coordinators", membership.add(text(body, "node_id"), text(body, "address"))));
    }

    void removeNode(ServerRequest req, ServerResponse res, String id) {
        ResponseBodies.json(req, res, Map.of("coordinators", membership.remove(id)));
    }

    void verify(ServerRequest req, ServerResponse res) {
        ResponseBodies.json(req, res, operations.verify(flag(req, "deep")));
    }

    void repair(ServerRequest req, ServerResponse res) {
        int replicas = req.query()
                .first("replicas")
                .asOptional()
                .map(ClusterApi::count)
                .orElse(config.replicas());
        ResponseBodies.json(req, res, operations.repair(replicas, flag(req, "dry_run")));
    }

    void rebalance(ServerRequest req, ServerResponse res) {
        ResponseBodies.json(req, res, operations.rebalance());
    }

    void compact(ServerRequest req, ServerResponse res) {
        Integer shard =
                req.query().first("shard").asOptional().map(ClusterApi::count).orElse(null);
        if (shard != null && shard >= Shards.COUNT) {
            throw new MinikvException.InvalidArgument("shard must be from 0 to " + (Shards.COUNT - 1));
        }
        ResponseBodies.json(req, res, operations.compact(shard));
    }

    private static boolean flag(ServerRequest req, String name) {
        String value = req.query().first(name).orElse("false");
        return switch (value) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw new MinikvException.InvalidArgument(name + " must be true or false");
        };
    }

    private static int count(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new MinikvException.InvalidArgument("'" + text + "' is not a non-negative number");
    }

    private static HostPort address(String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MinikvException.InvalidArgument(e.getMessage());
        }
    }

    private JsonNode readJson(ServerRequest req) throws IOException {
        byte[] bytes;
        try (InputStream in = bodyIdleTimeout.body(req)) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new MinikvException.TooLarge("the JSON body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new MinikvException.InvalidArgument("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MinikvException.InvalidArgument("the body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new MinikvException.InvalidArgument("\"" + field + "\" is required (a string)");
        }
        return value.textValue();
    }
}
