package io.minikv.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.MinikvException;
import io.minikv.proto.Shards;
import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.VolumeState;
import io.minikv.volume.HostPort;
import io.minikv.volume.ResponseBodies;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ratis.protocol.RaftPeer;

/**
 * The cluster routes of a coordinator: status, membership of the Raft group, health, the volumes'
 * heartbeats and the repair operation.
 */
final class ClusterApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final RaftNode raft;
    private final MetadataState state;
    private final CoordinatorConfig config;
    private final VolumeLiveness liveness;
    private final Repairer repairer;

    ClusterApi(
            RaftNode raft, MetadataState state, CoordinatorConfig config, VolumeLiveness liveness, Repairer repairer) {
        this.raft = raft;
        this.state = state;
        this.config = config;
        this.liveness = liveness;
        this.repairer = repairer;
    }

    void status(ServerRequest req, ServerResponse res) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("node_id", raft.id());
        status.put("leader", raft.leaderId());
        status.put("term", raft.term());
        status.put("commit_index", raft.commitIndex());
        status.put("applied_index", raft.appliedIndex());
        status.put("coordinators", coordinators());
        List<Map<String, Object>> volumes = new ArrayList<>();
        state.volumes().stream()
                .sorted(java.util.Comparator.comparing(VolumeState::getVolumeId))
                .forEach(v -> {
                    Map<String, Object> volume = new LinkedHashMap<>();
                    volume.put("id", v.getVolumeId());
                    volume.put("http_address", v.getHttpAddress());
                    volume.put("grpc_address", v.getGrpcAddress());
                    volume.put("state", v.getUp() ? "up" : "down");
                    volumes.add(volume);
                });
        status.put("volumes", volumes);
        status.put("shards", Shards.COUNT);
        status.put("replicas", config.replicas());
        status.put("write_quorum", config.writeQuorum());
        status.put("keys", state.keyCount());
        ResponseBodies.json(req, res, status);
    }

    private List<Map<String, Object>> coordinators() {
        String leader = raft.leaderId();
        List<Map<String, Object>> list = new ArrayList<>();
        raft.members().forEach((id, raftAddress) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", id);
            c.put("raft_address", raftAddress);
            Optional<CoordinatorState> known = state.coordinator(id);
            c.put("http_address", known.map(CoordinatorState::getHttpAddress).orElse(null));
            c.put("grpc_address", known.map(CoordinatorState::getGrpcAddress).orElse(null));
            c.put("role", id.equals(raft.id()) ? raft.role() : id.equals(leader) ? "leader" : "follower");
            list.add(c);
        });
        return list;
    }

    void health(ServerRequest req, ServerResponse res) {
        Map<String, Object> health = new LinkedHashMap<>();
        String leader = raft.leaderId();
        long up = state.volumes().stream().filter(VolumeState::getUp).count();
        String problem = leader == null
                ? "no leader is known"
                : up < config.writeQuorum() ? up + " volumes are up; writes need " + config.writeQuorum() : null;
        health.put("status", problem == null ? "healthy" : "unavailable");
        health.put("role", raft.isLeader() ? "leader" : raft.role());
        health.put("node_id", raft.id());
        health.put("leader", leader);
        health.put("term", raft.term());
        health.put("volumes_up", up);
        if (problem != null) {
            health.put("error", problem);
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
        String id = text(body, "node_id");
        try {
            CoordinatorConfig.checkId(id);
        } catch (IllegalArgumentException e) {
            throw new MinikvException.InvalidArgument(e.getMessage());
        }
        HostPort address = address(text(body, "address"));
        Map<String, String> members = raft.members();
        if (members.containsKey(id)) {
            throw new MinikvException.Conflict("coordinator " + id + " is already a member");
        }
        List<RaftPeer> peers = peers(members);
        peers.add(RaftNode.peer(id, address));
        raft.setMembers(peers);
        ResponseBodies.json(req, res, Map.of("coordinators", coordinators()));
    }

    void removeNode(ServerRequest req, ServerResponse res, String id) {
        Map<String, String> members = raft.members();
        if (!members.containsKey(id)) {
            throw new MinikvException.NotFound("coordinator " + id + " is not a member");
        }
        if (members.size() == 1) {
            throw new MinikvException.InvalidArgument("the last coordinator cannot be removed");
        }
        members.remove(id);
        raft.setMembers(peers(members));
        ResponseBodies.json(req, res, Map.of("coordinators", coordinators()));
    }

    void repair(ServerRequest req, ServerResponse res) {
        boolean dryRun = Boolean.parseBoolean(req.query().first("dry_run").orElse("false"));
        int replicas = req.query()
                .first("replicas")
                .asOptional()
                .map(Integer::parseInt)
                .orElse(config.replicas());
        if (replicas < 1) {
            throw new MinikvException.InvalidArgument("replicas must be at least 1");
        }
        List<Repairer.Copy> copies = repairer.repair(replicas, dryRun);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dry_run", dryRun);
        report.put("copies", copies.size());
        report.put("actions", copies);
        ResponseBodies.json(req, res, report);
    }

    private static HostPort address(String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MinikvException.InvalidArgument(e.getMessage());
        }
    }

    private static List<RaftPeer> peers(Map<String, String> members) {
        List<RaftPeer> peers = new ArrayList<>();
        members.forEach((id, address) -> peers.add(RaftNode.peer(id, HostPort.parse(address))));
        return peers;
    }

    private static JsonNode readJson(ServerRequest req) throws IOException {
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
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
