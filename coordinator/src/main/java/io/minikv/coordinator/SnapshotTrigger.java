package io.minikv.coordinator;

/**
 * When a coordinator asks for a metadata snapshot besides Ratis' own trigger (every {@link
 * CoordinatorConfig#snapshotEvery} log entries, which batches of up to {@link
 * SmallWriteRounds#MAX_WRITES} writes make rare): once the writes applied since the last snapshot
 * outnumber the keys the next one would hold, and at least {@link CoordinatorConfig#snapshotMinWrites}. A restarted
 * coordinator loads its last snapshot and then applies every write since, so this keeps the replay
 * about as long as the load, for about one snapshot record written per write applied. Before it, a
 * coordinator restarted after a benchmark's 500,000 writes in 9,300 entries (no snapshot yet)
 * replayed them all: 7.5 s during which, elected leader, it took no writes (docs/cluster.md).
 *
 * <p>Counting runs on the apply thread; a request's answer may come on another.
 */
final class SnapshotTrigger {
    private final long minWrites;
    private long writesSinceSnapshot;
    private boolean requested;

    SnapshotTrigger(long minWrites) {
        this.minWrites = minWrites;
    }

    /** Counts {@code writes} just applied; true when a snapshot should be asked for now. */
    synchronized boolean applied(long writes, long keys) {
        writesSinceSnapshot += writes;
        if (requested || writesSinceSnapshot < Math.max(minWrites, keys)) {
            return false;
        }
        requested = true;
        return true;
    }

    /** A snapshot was taken, whoever asked for it. */
    synchronized void taken() {
        writesSinceSnapshot = 0;
    }

    /** The request was answered, with a snapshot or without (then the next write asks again). */
    synchronized void answered() {
        requested = false;
    }
}
