package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.PurgeTombstones;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, makes the metadata forget deleted keys once their deletion is older than the
 * retention period ({@link TombstoneRetention}), with one Raft entry for all of them. Without it,
 * every key ever deleted would stay in memory and in every snapshot.
 */
final class TombstonePurger {
    private static final Logger LOG = LoggerFactory.getLogger(TombstonePurger.class);

    private final RaftNode raft;
    private final MetadataState state;
    private final WriteCoordinator writes;
    private final TombstoneRetention retention;

    TombstonePurger(RaftNode raft, MetadataState state, WriteCoordinator writes, Duration retention) {
        this.raft = raft;
        this.state = state;
        this.writes = writes;
        this.retention = new TombstoneRetention(retention);
    }

    /** How often {@link #purge} should run: a few times per retention period, at most every 30 s. */
    static Duration interval(Duration retention) {
        return Duration.ofMillis(Math.clamp(retention.toMillis() / 4, 100, 30_000));
    }

    /** Notes the leader's last version and submits a purge when a deletion has aged. Run by one thread. */
    void purge() {
        if (!raft.isLeaderReady()) {
            return;
        }
        long now = System.nanoTime();
        // Before its first write in this term, every version chosen so far belongs to an earlier term.
        retention.note(now, Math.max(writes.lastChosenVersion(), Versions.of(raft.term(), 1) - 1));
        long below = retention.purgeBelow(now);
        if (below <= state.oldestTombstone()) {
            return;
        }
        try {
            raft.submit(MetadataCommand.newBuilder()
                    .setPurgeTombstones(PurgeTombstones.newBuilder().setDeletedBeforeVersion(below))
                    .build());
        } catch (MinikvException.Unavailable e) {
            LOG.debug("purging tombstones failed, will retry: {}", e.getMessage());
        }
    }
}
