package io.minikv.coordinator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which deletions are old enough to forget. The state machine has no clock, so age is measured in
 * versions: the leader notes, from time to time, the last version it chose; a deletion whose version
 * is below a note taken at least the retention period ago is older than that period. Pure: the
 * caller supplies the time.
 */
final class TombstoneRetention {
    private record Note(long nanos, long version) {}

    private final long retentionNanos;
    private final Deque<Note> notes = new ArrayDeque<>();

    TombstoneRetention(Duration retention) {
        this.retentionNanos = retention.toNanos();
    }

    /** Notes that at {@code nanos} (a monotonic clock) every version chosen so far is below or at {@code version}. */
    void note(long nanos, long version) {
        if (notes.isEmpty() || version > notes.peekLast().version()) {
            notes.addLast(new Note(nanos, version));
        }
    }

    /**
     * The version below which deletions may be forgotten at {@code nanos}: one past the newest note
     * taken at least the retention period earlier; 0 (nothing) when there is none yet.
     */
    long purgeBelow(long nanos) {
        Note old = null;
        while (!notes.isEmpty() && nanos - notes.peekFirst().nanos() >= retentionNanos) {
            old = notes.pollFirst();
        }
        if (old == null) {
            return 0;
        }
        // The newest note old enough stays: it is still the bound until a newer one ages.
        notes.addFirst(old);
        return old.version() + 1;
    }
}
