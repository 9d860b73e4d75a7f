package io.minikv.coordinator;

import java.util.List;

/**
 * What to tell a volume about a transaction it prepared and never heard the outcome of (a lost
 * Commit or Abort, a restart, a leader change). The answer comes from the Raft state, never from a
 * guess. Pure.
 */
public enum TransactionResolution {
    /** The metadata committed this transaction with this volume among its replicas. */
    COMMIT,
    /** The transaction cannot commit any more, or committed without this volume. */
    ABORT,
    /** The write may still be in progress on the leader: ask again later. */
    WAIT;

    /** What the metadata says about the key, as far as resolution needs it. */
    public record Committed(long version, long transactionId, List<String> replicas) {}

    /**
     * @param volumeId the volume that holds the prepared transaction
     * @param transactionId the prepared transaction
     * @param version the version it would write
     * @param committed the key's committed state, or null when the key has none (absent or deleted
     *     with no version information)
     * @param deletedVersion the version of the key's deletion, or 0
     * @param inFlight whether the leader still has this transaction in progress
     */
    public static TransactionResolution resolve(
            String volumeId,
            long transactionId,
            long version,
            Committed committed,
            long deletedVersion,
            boolean inFlight) {
        if (committed != null && committed.transactionId() == transactionId) {
            return committed.replicas().contains(volumeId) ? COMMIT : ABORT;
        }
        if ((committed != null && committed.version() >= version) || deletedVersion >= version) {
            return ABORT;
        }
        return inFlight ? WAIT : ABORT;
    }
}
