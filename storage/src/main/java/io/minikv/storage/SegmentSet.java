package io.minikv.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The segments of one store: those that readers can use, and those that compaction retired and
 * that wait for their last reader before their files go.
 */
final class SegmentSet {
    private final ConcurrentHashMap<Integer, Segment> live = new ConcurrentHashMap<>();
    private final Set<Segment> retiring = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lastId = new AtomicInteger();

    Segment get(int id) {
        return live.get(id);
    }

    void add(Segment segment) {
        live.put(segment.id, segment);
        lastId.accumulateAndGet(segment.id, Math::max);
    }

    int allocateId() {
        return lastId.incrementAndGet();
    }

    /** A snapshot of the live segments, in id order. */
    List<Segment> live() {
        List<Segment> snapshot = new ArrayList<>(live.values());
        snapshot.sort((a, b) -> Integer.compare(a.id, b.id));
        return snapshot;
    }

    /** Removes {@code segment} from use; its files are deleted once its last reader is done. */
    void retire(Segment segment) {
        live.remove(segment.id, segment);
        retiring.add(segment);
        segment.retire(() -> retiring.remove(segment));
    }

    /**
     * The lowest sequence number in any segment still on disk except {@code excluded}: a tombstone
     * with a lower sequence number can shadow nothing elsewhere, so compaction may drop it.
     */
    long minSeqExcept(Collection<Segment> excluded) {
        long min = Long.MAX_VALUE;
        for (Segment segment : live.values()) {
            if (!excluded.contains(segment)) {
                min = Math.min(min, segment.minSeq());
            }
        }
        for (Segment segment : retiring) {
            if (!excluded.contains(segment)) {
                min = Math.min(min, segment.minSeq());
            }
        }
        return min;
    }

    void closeAll() throws IOException {
        IOException first = null;
        for (Segment segment : live.values()) {
            try {
                segment.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        live.clear();
        if (first != null) {
            throw first;
        }
    }
}
