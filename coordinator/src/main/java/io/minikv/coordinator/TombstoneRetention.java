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
    /** One past the newest note that has aged: the bound until a newer note ages. */
    private long purgeBelow;

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
        while (!notes.isEmpty() && nanos - notes.peekFirst().nanos() >= retentionNanos) {
            purgeBelow = Math.max(purgeBelow, notes.pollFirst().version() + 1);
        }
        return purgeBelow;
    }
}
