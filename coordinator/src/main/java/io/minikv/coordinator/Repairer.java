package io.minikv.coordinator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.PullRequest;
import io.minikv.proto.v1.SetReplicas;
import io.minikv.proto.v1.VolumeState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** What a copy gets beside its size's share: connecting, opening the transaction, the commit. */
    private static final long PULL_BASE_MILLIS = 30_000;
    /**
     * The slowest copy rate taken for a live volume: a 1 GiB blob (the default size limit) gets
     * about 4.8 minutes. A volume slower than that is left for a later pass.
     */
    private static final long PULL_FLOOR_BYTES_PER_SECOND = 4L << 20;

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final WriteCoordinator writes;
    /** Touched only by the background duty's thread. */
    private final RepairSchedule schedule = new RepairSchedule();

    Repairer(RaftNode raft, MetadataState state, VolumeClients volumes, WriteCoordinator writes) {
        this.raft = raft;
        this.state = state;
        this.volumes = volumes;
        this.writes = writes;
    }

    /** The background repair: a pass over every key when the {@link RepairSchedule} says one is due. */
    void repairIfNeeded(int replicas) {
        if (!raft.isLeaderReady()) {
            return;
        }
        RepairSchedule.Seen now =
                new RepairSchedule.Seen(raft.term(), Set.copyOf(upVolumes().keySet()), writes.shortCommits());
        if (schedule.due(now)) {
            schedule.passed(now, repair(replicas, false, copy -> {}));
        }
    }

    /**
     * One pass over every key. Hands each copy made to {@code made}; with {@code dryRun}, each it
     * would make. Does nothing unless this coordinator is the ready leader.
     *
     * @return how many keys a later pass could bring closer to {@code replicas} live replicas with
     *     the same live volumes: a copy failed or was deferred, or the key lacked more than one
     */
    long repair(int replicas, boolean dryRun, Consumer<RepairChoice.Copy> made) {
        if (!raft.isLeaderReady()) {
            return 0;
        }
        Map<String, VolumeState> up = upVolumes();
        Set<String> unresponsive = new HashSet<>();
        long left = 0;
        for (KeyState key : state.allKeys()) {
            if (key.getDeleted()) {
                continue;
            }
            switch (RepairChoice.of(key, up.keySet(), replicas, unresponsive)) {
                case RepairChoice.Enough enough -> {}
                case RepairChoice.Stuck stuck -> {}
                case RepairChoice.Deferred deferred -> left++;
                case RepairChoice.Copy copy -> {
                    boolean copied = !dryRun && copy(copy, key, up, unresponsive);
                    if (dryRun || copied) {
                        made.accept(copy);
                    }
                    // One copy per key and pass: a key short of two replicas gets its second in the next one.
                    if (!copied || copy.stillShort()) {
                        left++;
                    }
                }
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

    /**
     * Has {@code copy.to()} pull the key from {@code copy.from()}, then lists it as a replica. A copy
     * that gets no answer in time marks both volumes unresponsive for the rest of the pass: the
     * deadline passes on to the pull's read from the source, so either may be the one that hung.
     */
    private boolean copy(RepairChoice.Copy copy, KeyState key, Map<String, VolumeState> up, Set<String> unresponsive) {
        try {
            volumes.blocking(up.get(copy.to()).getGrpcAddress())
                    .withDeadlineAfter(pullDeadlineMillis(key.getSize()), TimeUnit.MILLISECONDS)
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
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE) {
                unresponsive.add(copy.from());
                unresponsive.add(copy.to());
            }
            LOG.debug("copying {} to {} failed: {}", copy.key(), copy.to(), e.getMessage());
            return false;
        } catch (MinikvException e) {
            LOG.debug("copying {} to {} failed: {}", copy.key(), copy.to(), e.getMessage());
            return false;
        }
    }

    /** A copy's deadline: {@link #PULL_BASE_MILLIS} plus its size at {@link #PULL_FLOOR_BYTES_PER_SECOND}. */
    static long pullDeadlineMillis(long size) {
        return PULL_BASE_MILLIS + size * 1000 / PULL_FLOOR_BYTES_PER_SECOND;
    }
}
