package io.minikv.coordinator;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.minikv.proto.Shards;
import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.VolumeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a coordinator says about the cluster and about itself: the content of the status and
 * health answers, the same over HTTP (as JSON, snake_case) and gRPC ({@code minikv.v1.Cluster}).
 */
final class ClusterView {
    /** A member of the Raft group; the addresses are null until it announced them. */
    record Coordinator(String id, String raftAddress, String httpAddress, String grpcAddress, String role) {}

    /** A registered volume; {@code state} is "up" or "down". */
    record Volume(String id, String httpAddress, String grpcAddress, String state) {}

    record Status(
            String nodeId,
            String leader,
            long term,
            long commitIndex,
            long appliedIndex,
            long snapshotIndex,
            long logStartIndex,
            List<Coordinator> coordinators,
            List<Volume> volumes,
            int shards,
            int replicas,
            int writeQuorum,
            long keys) {}

    /** {@code error} says why this coordinator is not serving; null when it is. */
    record Health(
            String status,
            String role,
            String nodeId,
            String leader,
            long term,
            long volumesUp,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

        boolean healthy() {
            return error == null;
        }
    }

    private final RaftNode raft;
    private final MetadataState state;
    private final CoordinatorConfig config;
    private final CatchUp catchUp = new CatchUp();

    ClusterView(RaftNode raft, MetadataState state, CoordinatorConfig config) {
        this.raft = raft;
        this.state = state;
        this.config = config;
    }

    Status status() {
        List<Volume> volumes = state.volumes().stream()
                .sorted(Comparator.comparing(VolumeState::getVolumeId))
                .map(v ->
                        new Volume(v.getVolumeId(), v.getHttpAddress(), v.getGrpcAddress(), v.getUp() ? "up" : "down"))
                .toList();
        return new Status(
                raft.id(),
                raft.leaderId(),
                raft.term(),
                raft.commitIndex(),
                raft.appliedIndex(),
                raft.snapshotIndex(),
                raft.logStartIndex(),
                coordinators(),
                volumes,
                Shards.COUNT,
                config.replicas(),
                config.writeQuorum(),
                state.keyCount());
    }

    /** The members of the Raft group, in the order Raft lists them. */
    List<Coordinator> coordinators() {
        String leader = raft.leaderId();
        List<Coordinator> list = new ArrayList<>();
        raft.members().forEach((id, raftAddress) -> {
            Optional<CoordinatorState> known = state.coordinator(id);
            list.add(new Coordinator(
                    id,
                    raftAddress,
                    known.map(CoordinatorState::getHttpAddress).orElse(null),
                    known.map(CoordinatorState::getGrpcAddress).orElse(null),
                    id.equals(raft.id()) ? raft.role() : id.equals(leader) ? "leader" : "follower"));
        });
        return list;
    }

    /**
     * Healthy when a leader is known, this coordinator has caught up since it started ({@link
     * CatchUp}), the leader's address is in the metadata (so that a follower can forward writes to it)
     * and at least the write quorum of volumes is up.
     */
    Health health() {
        String leader = raft.leaderId();
        long up = state.volumes().stream().filter(VolumeState::getUp).count();
        String problem;
        if (leader == null) {
            problem = "no leader is known";
        } else if (!catchUp.caughtUp(raft.appliedIndex(), raft.commitIndex())) {
            problem = "catching up: applied the log to index " + raft.appliedIndex() + " of " + catchUp.target();
        } else if (state.coordinator(leader).isEmpty()) {
            problem = "the leader " + leader + " has not announced its address yet";
        } else if (up < config.writeQuorum()) {
            problem = up + " volumes are up; writes need " + config.writeQuorum();
        } else {
            problem = null;
        }
        return new Health(
                problem == null ? "healthy" : "unavailable",
                raft.isLeader() ? "leader" : raft.role(),
                raft.id(),
                leader,
                raft.term(),
                up,
                problem);
    }
}
