package io.minikv.coordinator;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance for each of the few strings that many keys' metadata repeat (volume ids, content
 * types), so that each key's state refers to it instead of keeping a copy of its own.
 *
 * <p>Why: every write replaces its key's state with one parsed from the Raft log, with new strings
 * for each field. Under a steady stream of overwrites most keys' states are younger than the last
 * collection, so each young collection copies all of them: on the benchmark's 10,000 hot keys, 32
 * MiB per collection on the leader (docs/benchmarks.md, session 23). Shared strings are old and
 * are not copied. The table is bounded, so that content types chosen by clients cannot grow it
 * without limit: past {@link #CAPACITY} strings, a new one is returned as it is.
 */
final class SharedStrings {
    static final int CAPACITY = 4096;

    private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();

    /** The instance kept for strings equal to {@code string}; {@code string} itself if none is kept. */
    String of(String string) {
        String shared = strings.get(string);
        if (shared != null) {
            return shared;
        }
        if (strings.size() >= CAPACITY) {
            return string;
        }
        shared = strings.putIfAbsent(string, string);
        return shared != null ? shared : string;
    }
}
