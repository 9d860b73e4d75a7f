package io.minikv.storage;

/**
 * What a compaction did.
 *
 * @param segmentsCompacted sealed segments rewritten
 * @param bytesBefore their bytes on disk
 * @param bytesAfter bytes of the segments written in their place
 */
public record CompactionResult(int segmentsCompacted, long bytesBefore, long bytesAfter) {
    static final CompactionResult NOTHING = new CompactionResult(0, 0, 0);

    public long bytesReclaimed() {
        return bytesBefore - bytesAfter;
    }
}
