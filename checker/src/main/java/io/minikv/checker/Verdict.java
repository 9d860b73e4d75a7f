package io.minikv.checker;

import java.util.List;

/** What {@link LinearizabilityChecker#check} found. Switch over it exhaustively. */
public sealed interface Verdict {
    /** Every partition has a linearization. */
    record Linearizable() implements Verdict {}

    /**
     * One partition has no linearization. The other partitions were not necessarily checked to the end.
     *
     * @param key the key of the failing partition ({@code ""} when the model is not partitioned by key)
     * @param longestPrefix the longest sequence of operations the search could place, in order: a legal
     *     linearization of an initial part of the partition
     * @param stateAfterPrefix the model state after {@code longestPrefix}
     * @param unplaceable the operations with a known outcome that could come next after {@code longestPrefix} in
     *     real time; the model rejects each of them in {@code stateAfterPrefix} (otherwise the search would have
     *     found a longer prefix)
     */
    record NotLinearizable(
            String key, List<Operation<?, ?>> longestPrefix, Object stateAfterPrefix, List<Operation<?, ?>> unplaceable)
            implements Verdict {
        public NotLinearizable {
            longestPrefix = List.copyOf(longestPrefix);
            unplaceable = List.copyOf(unplaceable);
        }

        /** A multi-line account for a test failure message. */
        public String explanation() {
            StringBuilder text = new StringBuilder();
            text.append("not linearizable")
                    .append(key.isEmpty() ? "" : " (key '" + key + "')")
                    .append(": the longest linearizable prefix has ")
                    .append(longestPrefix.size())
                    .append(" operations, ending in state ")
                    .append(stateAfterPrefix)
                    .append('\n');
            int shown = Math.min(longestPrefix.size(), 10);
            if (shown < longestPrefix.size()) {
                text.append("  ... ").append(longestPrefix.size() - shown).append(" earlier operations\n");
            }
            for (Operation<?, ?> op : longestPrefix.subList(longestPrefix.size() - shown, longestPrefix.size())) {
                text.append("  ").append(op).append('\n');
            }
            text.append("none of these can come next:\n");
            for (Operation<?, ?> op : unplaceable) {
                text.append("  ").append(op).append('\n');
            }
            return text.toString();
        }
    }

    /**
     * The search stopped before it decided: it ran out of time or memory, or was interrupted. This is never a
     * guess: a history reported as linearizable or not was decided.
     *
     * @param reason why the search stopped
     * @param undecidedKeys the partitions that were not decided
     */
    record Unknown(String reason, List<String> undecidedKeys) implements Verdict {
        public Unknown {
            undecidedKeys = List.copyOf(undecidedKeys);
        }
    }
}
