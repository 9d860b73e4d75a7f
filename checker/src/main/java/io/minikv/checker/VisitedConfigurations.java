package io.minikv.checker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations the search has finished exploring without success (Lowe's cache), with subsumption for
 * operations of unknown outcome.
 *
 * <p>A configuration is the set of placed operations with a known outcome, the set of placed operations of unknown
 * outcome, and the model state they lead to. If (C, P, s) failed, then (C, P', s) fails for every P' that contains
 * P: an operation of unknown outcome is never required, so leaving it unplaced can only add options, while the
 * operations that must still be placed, and therefore the real-time constraints, are the same. Without this, a
 * history with k such operations can reach the same (C, s) through up to 2^k placed subsets.
 *
 * <p>Only finished configurations are stored. The configurations on the search stack are the ancestors of the
 * current one, which has strictly more placed operations than each of them, so none can be equal to it.
 */
final class VisitedConfigurations {
    /** For each (placed operations of known outcome, state): the placed sets of unknown outcome, as long[] or List. */
    private Map<Configuration, Object> failed = new HashMap<>();

    private int size;

    /** Whether (completed, pending, state) fails because a configuration with fewer pending operations failed. */
    boolean subsumes(BitSet completed, BitSet pending, Object state) {
        Object known = failed.get(new Configuration(completed, state));
        if (known == null) {
            return false;
        }
        long[] current = pending.toLongArray();
        if (known instanceof long[] single) {
            return isSubset(single, current);
        }
        for (long[] set : pendingSets(known)) {
            if (isSubset(set, current)) {
                return true;
            }
        }
        return false;
    }

    /** Records that (completed, pending, state) has been explored without success. */
    void addFailed(BitSet completed, BitSet pending, Object state) {
        long[] added = pending.toLongArray();
        size++;
        failed.merge(new Configuration(completed, state), added, (known, ignored) -> {
            List<long[]> sets = new ArrayList<>(pendingSets(known));
            // Supersets of the new set are subsumed by it from now on.
            size -= (int) sets.stream().filter(set -> isSubset(added, set)).count();
            sets.removeIf(set -> isSubset(added, set));
            sets.add(added);
            return sets.size() == 1 ? sets.getFirst() : sets;
        });
    }

    /** Forgets everything, to free the memory once the search has decided. */
    void clear() {
        failed = new HashMap<>();
        size = 0;
    }

    /** How many failed configurations are stored, subsumed ones not counted. */
    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private static List<long[]> pendingSets(Object known) {
        return known instanceof long[] single ? List.of(single) : (List<long[]>) known;
    }

    private static boolean isSubset(long[] smaller, long[] larger) {
        for (int i = 0; i < smaller.length; i++) {
            long word = i < larger.length ? larger[i] : 0;
            if ((smaller[i] & ~word) != 0) {
                return false;
            }
        }
        return true;
    }
}
