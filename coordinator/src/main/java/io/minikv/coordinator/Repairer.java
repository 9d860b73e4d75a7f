package io.minikv.coordinator;

import io.grpc.StatusRuntimeException;
import io.minikv.proto.MinikvException;
import io.minikv.proto.Shards;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.PullRequest;
import io.minikv.proto.v1.SetReplicas;
import io.minikv.proto.v1.VolumeState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings under-replicated keys back to N live replicas: a key with fewer than N replicas that are
 * up gets a copy on the best live volume (rendezvous order) that lacks one, pulled by that volume
 * from a live replica, and the new replica is added to the key's metadata through Raft. Replicas
 * that are down stay listed: when they return they still hold the data.
 */
final class Repairer {
    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);

    /** One copy made (or, in a dry run, to be made). */
    record Copy(String key, long version, String from, String to) {}

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;

    Repairer(RaftNode raft, MetadataState state, VolumeClients volumes) {
        this.raft = raft;
        this.state = state;
        this.volumes = volumes;
    }

    /**
     * One pass over every key. Hands each copy made to {@code made}; with {@code dryRun}, each it
     * would make. Does nothing unless this coordinator is the ready leader.
     */
    void repair(int replicas, boolean dryRun, Consumer<Copy> made) {
        if (!raft.isLeaderReady()) {
            return;
        }
        Map<String, VolumeState> up = new LinkedHashMap<>();
        for (VolumeState volume : state.volumes()) {
            if (volume.getUp()) {
                up.put(volume.getVolumeId(), volume);
            }
        }
        for (KeyState key : state.allKeys()) {
            if (key.getDeleted()) {
                continue;
            }
            List<String> live =
                    key.getReplicasList().stream().filter(up::containsKey).toList();
            if (live.isEmpty() || live.size() >= replicas) {
                continue;
            }
            Optional<String> target = Placement.replicas(Shards.of(key.getKey()), up.keySet(), up.size()).stream()
                    .filter(id -> !key.getReplicasList().contains(id))
                    .findFirst();
            if (target.isEmpty()) {
                continue;
            }
            Copy copy = new Copy(key.getKey(), key.getVersion(), live.getFirst(), target.get());
            if (dryRun || copy(copy, key, up)) {
                made.accept(copy);
            }
        }
    }

    private boolean copy(Copy copy, KeyState key, Map<String, VolumeState> up) {
        try {
            volumes.blocking(up.get(copy.to()).getGrpcAddress())
                    .withDeadlineAfter(5, TimeUnit.MINUTES)
                    .pull(PullRequest.newBuilder()
                            .setKey(copy.key())
                            .setVersion(copy.version())
                            .setSource(up.get(copy.from()).getGrpcAddress())
                            .build());
            List<String> replicas = new ArrayList<>(key.getReplicasList());
            replicas.add(copy.to());
            raft.submit(MetadataCommand.newBuilder()
                    .setSetReplicas(SetReplicas.newBuilder()
                            .setKey(copy.key())
                            .setVersion(copy.version())
                            .addAllReplicas(replicas))
                    .build());
            LOG.info(
                    "repaired {} version {}: copied from {} to {}", copy.key(), copy.version(), copy.from(), copy.to());
            return true;
        } catch (StatusRuntimeException | MinikvException e) {
            LOG.debug("copying {} to {} failed: {}", copy.key(), copy.to(), e.getMessage());
            return false;
        }
    }
}
