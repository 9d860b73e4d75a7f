package io.minikv.coordinator;

/**
 * Whether a coordinator has caught up since it started: applied the log as far as it was committed
 * the first time it was asked with a leader known. A restarted coordinator applies every entry
 * since its last snapshot once the leader tells it the commit index; until then its metadata is
 * old, and, elected leader, it would not take writes before it had applied them all (seen: 7.5 s
 * after the leader kill of a benchmark run, docs/cluster.md). Once caught up it stays so: a
 * follower always trails the leader's latest entries by a little.
 */
final class CatchUp {
    private long target = -1;
    private boolean done;

    /**
     * Whether the log is applied as far as the first {@code committed} given; call it only with a
     * leader known, so that {@code committed} is the leader's.
     */
    synchronized boolean caughtUp(long applied, long committed) {
        if (!done) {
            if (target < 0) {
                target = committed;
            }
            done = applied >= target;
        }
        return done;
    }

    /** The commit index to reach, or -1 before the first call. */
    synchronized long target() {
        return target;
    }
}
