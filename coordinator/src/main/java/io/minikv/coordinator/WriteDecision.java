package io.minikv.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The leader's decision at the commit point of a two-phase write (DESIGN.md §3): commit when at
 * least the write quorum W of the chosen replicas prepared, listing exactly those as the key's
 * replicas; otherwise abort everywhere. Replicas that did not prepare are sent Abort either way,
 * since a replica that timed out may still hold prepared data. Pure.
 */
public sealed interface WriteDecision {
    /** Commit the metadata with {@code replicas}; then Commit on them and Abort on {@code abortOn}. */
    record Commit(List<String> replicas, List<String> abortOn) implements WriteDecision {}

    /** Fewer than W prepared: Abort on every replica that may hold data, answer 503. */
    record Abort(List<String> abortOn, int prepared, int writeQuorum) implements WriteDecision {}

    /** The default write quorum for {@code replicas} replicas: a majority. */
    static int defaultQuorum(int replicas) {
        return replicas / 2 + 1;
    }

    /**
     * Decides from the answers of the {@code chosen} replicas (in placement order). A chosen replica
     * missing from {@code answers} counts as timed out.
     */
    static WriteDecision decide(List<String> chosen, Map<String, PrepareResult> answers, int writeQuorum) {
        if (writeQuorum < 1) {
            throw new IllegalArgumentException("write quorum must be at least 1");
        }
        List<String> prepared = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String replica : chosen) {
            if (answers.getOrDefault(replica, PrepareResult.TIMED_OUT) == PrepareResult.PREPARED) {
                prepared.add(replica);
            } else {
                others.add(replica);
            }
        }
        if (prepared.size() >= writeQuorum) {
            return new Commit(List.copyOf(prepared), List.copyOf(others));
        }
        return new Abort(List.copyOf(chosen), prepared.size(), writeQuorum);
    }
}
