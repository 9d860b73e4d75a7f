package io.minikv.coordinator;

import io.grpc.StatusRuntimeException;
import io.minikv.proto.v1.AbortRequest;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.ListPreparedRequest;
import io.minikv.proto.v1.PreparedTransaction;
import io.minikv.proto.v1.VolumeState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles transactions that volumes prepared and never heard the outcome of (a lost Commit or
 * Abort, a volume or leader restart). The leader asks every live volume for its prepared
 * transactions and answers each from the Raft state ({@link TransactionResolution}); a transaction
 * of this leader's term still in progress is left alone. A transaction of an earlier term can no
 * longer commit once the leader is ready: its commit would be fenced (docs/cluster.md).
 *
 * <p>Only a transaction that a volume listed in the previous pass too is settled. Most of those a
 * listing shows for the first time are writes whose Commit or Abort the leader is about to send or
 * has sent: under load they were thousands a minute, each answered with a call of its own.
 */
final class TransactionResolver {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionResolver.class);

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final WriteCoordinator writes;
    /** Per volume, the transactions its previous listing showed. Touched only by the duty's thread. */
    private final Map<String, Set<Long>> listedBefore = new HashMap<>();

    TransactionResolver(RaftNode raft, MetadataState state, VolumeClients volumes, WriteCoordinator writes) {
        this.raft = raft;
        this.state = state;
        this.volumes = volumes;
        this.writes = writes;
    }

    /** One pass over every live volume; does nothing unless this coordinator is the ready leader. */
    void resolveAll() {
        for (VolumeState volume : state.volumes()) {
            if (!raft.isLeaderReady()) {
                return;
            }
            if (volume.getUp()) {
                resolveOn(volume);
            }
        }
    }

    private void resolveOn(VolumeState volume) {
        try {
            Iterator<PreparedTransaction> prepared = volumes.blocking(volume.getGrpcAddress())
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listPrepared(ListPreparedRequest.getDefaultInstance());
            Set<Long> before = listedBefore.getOrDefault(volume.getVolumeId(), Set.of());
            Set<Long> listed = new HashSet<>();
            while (prepared.hasNext()) {
                PreparedTransaction tx = prepared.next();
                long id = tx.getTransactionId();
                listed.add(id);
                if (!before.contains(id)) {
                    continue;
                }
                boolean inFlight = Versions.term(tx.getMetadata().getVersion()) == raft.term() && writes.inFlight(id);
                KeyState key = state.key(tx.getMetadata().getKey()).orElse(null);
                TransactionResolution.Committed committed = key == null || key.getDeleted()
                        ? null
                        : new TransactionResolution.Committed(
                                key.getVersion(), key.getTransactionId(), key.getReplicasList());
                long deletedVersion = key != null && key.getDeleted() ? key.getVersion() : 0;
                TransactionResolution resolution = TransactionResolution.resolve(
                        volume.getVolumeId(), id, tx.getMetadata().getVersion(), committed, deletedVersion, inFlight);
                switch (resolution) {
                    case COMMIT -> {
                        volumes.blocking(volume.getGrpcAddress())
                                .withDeadlineAfter(5, TimeUnit.SECONDS)
                                .commit(CommitRequest.newBuilder()
                                        .setTransactionId(id)
                                        .setKey(tx.getMetadata().getKey())
                                        .build());
                        LOG.info("resolved transaction {} on volume {}: commit", id, volume.getVolumeId());
                    }
                    case ABORT -> {
                        volumes.blocking(volume.getGrpcAddress())
                                .withDeadlineAfter(5, TimeUnit.SECONDS)
                                .abort(AbortRequest.newBuilder()
                                        .setTransactionId(id)
                                        .build());
                        LOG.info("resolved transaction {} on volume {}: abort", id, volume.getVolumeId());
                    }
                    case WAIT -> {}
                }
            }
            listedBefore.put(volume.getVolumeId(), listed);
        } catch (StatusRuntimeException e) {
            LOG.debug("resolving transactions on volume {} failed: {}", volume.getVolumeId(), e.getStatus());
        }
    }
}
