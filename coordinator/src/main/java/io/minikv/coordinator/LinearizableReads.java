package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.KeyState;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Linearizable reads of this coordinator's metadata, as etcd serves them: a read waits for a Raft
 * read barrier ({@link RaftNode#readBarrier}: the leader's commit index, applied here) that started
 * after the read did, then answers from the local {@link MetadataState}, which has applied every
 * write acknowledged before the read began. Concurrent reads share barriers ({@link GroupCommit}):
 * on a follower that is one read-index round trip to the leader for a whole batch of reads.
 */
final class LinearizableReads {
    private final MetadataState state;
    /** Items carry nothing: a batch is one barrier for every read in it. */
    private final GroupCommit<Boolean, Boolean> barriers;

    LinearizableReads(RaftNode raft, MetadataState state, Executor executor) {
        this.state = state;
        this.barriers = new GroupCommit<>(
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                1,
                read -> 1,
                reads -> {
                    raft.readBarrier();
                    return Collections.nCopies(reads.size(), true);
                },
                executor,
                GroupCommit.Linger.NONE);
    }

    /** The key's state, deletions included, as of a linearizable read. */
    Optional<KeyState> key(String key) {
        awaitBarrier();
        return state.key(key);
    }

    /** A page of committed keys (see {@link MetadataState#list}), as of a linearizable read. */
    List<KeyState> list(String prefix, String startAfter, int limit) {
        awaitBarrier();
        return state.list(prefix, startAfter, limit);
    }

    /** @throws MinikvException.Unavailable when no barrier can be had (no leader, a timeout) */
    private void awaitBarrier() {
        barriers.await(true, "the metadata read");
    }
}
