package io.minikv.storage;

import java.util.List;

/** Chooses which sealed segments to compact. Pure: segment statistics in, ids out. */
final class CompactionPlanner {
    private CompactionPlanner() {}

    /** What the planner needs to know of a segment. */
    record SegmentInfo(int id, boolean sealed, long recordBytes, long deadBytes) {
        double garbageRatio() {
            return recordBytes <= 0 ? 0 : (double) deadBytes / recordBytes;
        }
    }

    /**
     * Background compaction: sealed segments whose garbage ratio reached {@code threshold}, in id
     * order.
     */
    static List<Integer> byGarbageRatio(List<SegmentInfo> segments, double threshold) {
        return segments.stream()
                .filter(s -> s.sealed() && s.deadBytes() > 0 && s.garbageRatio() >= threshold)
                .map(SegmentInfo::id)
                .sorted()
                .toList();
    }

    /** Manual compaction: every sealed segment with any garbage, in id order. */
    static List<Integer> allWithGarbage(List<SegmentInfo> segments) {
        return byGarbageRatio(segments, 0);
    }
}
