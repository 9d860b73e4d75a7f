package io.minikv.client;

/**
 * Which coordinator a client sends its reads to (gets, heads and lists). Every coordinator answers
 * them linearizably (docs/cluster.md, "Reads"); they differ in what that costs.
 */
public enum ReadPreference {
    /**
     * The coordinator the last answer named as the leader, when it is one of the client's, as for
     * writes; the others in order when it fails. The leader answers under its lease, from its own
     * state, while a follower first asks the leader for its commit index, a round trip between
     * coordinators: on one 2-core machine a follower read took 2 to 4 times a leader read
     * (docs/benchmarks.md). The default.
     */
    LEADER,
    /**
     * The coordinator that answered last, the first one at the start, whichever role it has: spreads
     * the reads of many clients over the coordinators, each with its own list order.
     */
    ANY
}
