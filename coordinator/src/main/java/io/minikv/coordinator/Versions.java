package io.minikv.coordinator;

/**
 * Versions of keys, chosen by the leader: the Raft term in the top 24 bits, a counter the leader
 * keeps for its term in the low 40. A new leader's versions are therefore above every version of
 * earlier terms, and the state machine can tell which term chose a version: a commit chosen in an
 * older term that reaches the log in a newer one is refused (docs/cluster.md, fencing). Pure.
 */
public final class Versions {
    static final int COUNTER_BITS = 40;
    static final long MAX_COUNTER = (1L << COUNTER_BITS) - 1;
    static final long MAX_TERM = (1L << (Long.SIZE - 1 - COUNTER_BITS)) - 1;

    private Versions() {}

    /** The {@code counter}-th version chosen in {@code term}; counters start at 1. */
    public static long of(long term, long counter) {
        if (term < 0 || term > MAX_TERM) {
            throw new IllegalArgumentException("term " + term + " is out of range");
        }
        if (counter < 1 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("version counter " + counter + " is out of range");
        }
        return (term << COUNTER_BITS) | counter;
    }

    /** The term in which {@code version} was chosen. */
    public static long term(long version) {
        return version >>> COUNTER_BITS;
    }
}
