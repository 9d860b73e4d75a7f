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
import java.util.Set;
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

    /**
     * What the background repair saw before a pass that left nothing for a later pass to do: until
     * one of these changes, no key can have become short of replicas or repairable, so the next
     * pass is skipped.
     */
    private record Clean(long term, Set<String> up, long shortCommits) {}

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final WriteCoordinator writes;
    /** Touched only by the background duty's thread. */
    private Clean clean;

    Repairer(RaftNode raft, MetadataState state, VolumeClients volumes, WriteCoordinator writes) {
        this.raft = raft;
        this.state = state;
        this.volumes = volumes;
        this.writes = writes;
    }

    /**
     * The background repair: a pass over every key, unless nothing that can leave a key short of
     * replicas happened since a pass that left none short. Those things are a new term (another
     * leader's writes), a change in the set of live volumes, and a write committed on fewer than N.
     */
    void repairIfNeeded(int replicas) {
        if (!raft.isLeaderReady()) {
            return;
        }
        Clean now = new Clean(raft.term(), Set.copyOf(upVolumes().keySet()), writes.shortCommits());
        if (now.equals(clean)) {
            return;
        }
        clean = repair(replicas, false, copy -> {}) == 0 ? now : null;
    }

    /**
     * One pass over every key. Hands each copy made to {@code made}; with {@code dryRun}, each it
     * would make. Does nothing unless this coordinator is the ready leader.
     *
     * @return how many keys a later pass could bring closer to {@code replicas} live replicas with
     *     the same live volumes: a copy failed, or the key lacked more than one
     */
    long repair(int replicas, boolean dryRun, Consumer<Copy> made) {
        if (!raft.isLeaderReady()) {
            return 0;
        }
        Map<String, VolumeState> up = upVolumes();
        long left = 0;
        for (KeyState key : state.allKeys()) {
            if (key.getDeleted()) {
                continue;
            }
            String source = null;
            int live = 0;
            for (String replica : key.getReplicasList()) {
                if (up.containsKey(replica)) {
                    source = source == null ? replica : source;
                    live++;
                }
            }
            if (live >= replicas) {
                continue;
            }
            Optional<String> target = Placement.replicas(Shards.of(key.getKey()), up.keySet(), up.size()).stream()
                    .filter(id -> !key.getReplicasList().contains(id))
                    .findFirst();
            if (source == null || target.isEmpty()) {
                // Nothing to copy from, or no live volume left to copy to: only a change in the
                // live volumes can help, and that makes the background repair run again anyway.
                continue;
            }
            Copy copy = new Copy(key.getKey(), key.getVersion(), source, target.get());
            boolean copied = !dryRun && copy(copy, key, up);
            if (dryRun || copied) {
                made.accept(copy);
            }
            // One copy per key and pass: a key short of two replicas gets its second in the next one.
            if (!copied || live + 1 < replicas) {
                left++;
            }
        }
        return left;
    }

    private Map<String, VolumeState> upVolumes() {
        Map<String, VolumeState> up = new LinkedHashMap<>();
        for (VolumeState volume : state.volumes()) {
            if (volume.getUp()) {
                up.put(volume.getVolumeId(), volume);
            }
        }
        return up;
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
