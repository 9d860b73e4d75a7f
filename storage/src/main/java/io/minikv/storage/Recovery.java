package io.minikv.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rebuilds a store's state from its directory on open.
 *
 * <p>Sealed segments are read through their hint files (keys only, no values). Segments without a
 * hint (the active one, staging segments, or a segment sealed just before a crash) are scanned
 * record by record; a torn tail is truncated. The newest of those stays the active segment, the
 * others are sealed now. Temporary files (unfinished compactions and hints) are deleted.
 *
 * <p>Records are applied by sequence number, not file order, because compaction copies old records
 * into newer files: a record replaces a key only if its sequence number is higher than both the
 * key's current record and the newest tombstone seen for the key.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    /** What open needs from recovery. */
    record Result(Segment active, long lastSeq) {}

    private final Disk disk;
    private final SegmentSet segments;
    private final KeyIndex index;
    private final Consumer<CorruptionReport> reporter;
    private final KeyIndex tombstones = new KeyIndex();
    private long lastSeq;

    Recovery(Disk disk, SegmentSet segments, KeyIndex index, Consumer<CorruptionReport> reporter) {
        this.disk = disk;
        this.segments = segments;
        this.index = index;
        this.reporter = reporter;
    }

    Result run() throws IOException {
        List<Integer> segmentIds = new ArrayList<>();
        Set<Integer> hintIds = new HashSet<>();
        for (String name : disk.list()) {
            FileNames.Parsed parsed = FileNames.parse(name);
            switch (parsed.kind()) {
                case TEMP -> disk.delete(name);
                case SEGMENT -> {
                    if (parsed.segmentId() > 0) {
                        segmentIds.add(parsed.segmentId());
                    }
                }
                case HINT -> hintIds.add(parsed.segmentId());
                case LOCK, OTHER -> {}
            }
        }
        segmentIds.sort(null);
        for (int hintId : List.copyOf(hintIds)) {
            if (!segmentIds.contains(hintId)) {
                disk.delete(FileNames.hint(hintId));
                hintIds.remove(hintId);
            }
        }
        int activeId = segmentIds.stream()
                .filter(id -> !hintIds.contains(id))
                .reduce((a, b) -> b)
                .orElse(-1);

        index.ensureCapacity(HintFile.entryCount(disk, hintIds));
        Segment active = null;
        for (int id : segmentIds) {
            Segment segment = Segment.open(disk, id, reporter);
            segments.add(segment);
            if (hintIds.contains(id)
                    && HintFile.read(
                            disk,
                            id,
                            (type, key, offset, valueLength, seq) ->
                                    apply(segment, type, key, new Location(id, offset, valueLength, seq)))) {
                segment.markSealed();
            } else if (id == activeId) {
                scanTail(segment);
                active = segment;
            } else {
                if (hintIds.contains(id)) {
                    reporter.accept(
                            new CorruptionReport(FileNames.hint(id), 0, -1, "damaged hint file; segment rescanned"));
                }
                scanAndSeal(segment);
            }
        }
        countNeededTombstonesLive();
        disk.syncDirectory();
        if (active == null) {
            int id = segments.allocateId();
            active = Segment.create(disk, id, FileNames.segment(id));
            disk.syncDirectory();
            segments.add(active);
        }
        return new Result(active, lastSeq);
    }

    /**
     * Scans the active segment, truncating a torn tail so that appends continue after valid records.
     * The segment is synced even when nothing was cut: after a process crash its tail may hold
     * records that were written but never synced, and the store is about to serve them.
     */
    private void scanTail(Segment segment) throws IOException {
        long fileSize = segment.file().size();
        long validEnd = new SegmentScanner(segment, fileSize, reporter)
                .scan((header, key, offset) -> apply(segment, header.type(), key, locationOf(segment, header, offset)));
        if (validEnd < fileSize) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "truncated the torn tail of {0}: {1} bytes",
                    segment.name(),
                    fileSize - validEnd);
            segment.file().truncate(validEnd);
        }
        segment.file().force();
        segment.setSize(validEnd);
    }

    /** Scans a segment that was not sealed (or whose hint is damaged) and writes its hint file. */
    private void scanAndSeal(Segment segment) throws IOException {
        long fileSize = segment.file().size();
        long validEnd;
        try (HintFile.Writer hint = new HintFile.Writer(disk, segment.id)) {
            validEnd = new SegmentScanner(segment, fileSize, reporter).scan((header, key, offset) -> {
                hint.add(header.type(), key, offset, header.valueLength(), header.seq());
                apply(segment, header.type(), key, locationOf(segment, header, offset));
            });
            if (validEnd < fileSize) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "truncated the tail of {0}: {1} bytes",
                        segment.name(),
                        fileSize - validEnd);
                segment.file().truncate(validEnd);
            }
            segment.file().force();
            hint.finish();
        }
        segment.setSize(validEnd);
        segment.markSealed();
    }

    /**
     * Every tombstone was counted as garbage while loading. The newest tombstone of a deleted key
     * that may still hide an older record in another segment is needed, so it counts as live, as
     * compaction counts the tombstones it keeps; otherwise a segment of needed tombstones would look
     * like all garbage and be rewritten over and over.
     */
    private void countNeededTombstonesLive() {
        tombstones.forEach((key, location) -> {
            Segment segment = segments.get(location.segmentId());
            if (index.get(key) == null && segments.minSeqExcept(Set.of(segment)) < location.seq()) {
                segment.addDead(-location.recordLength(key.length));
            }
        });
    }

    private static Location locationOf(Segment segment, RecordHeader header, long offset) {
        return new Location(segment.id, offset, header.valueLength(), header.seq());
    }

    private void apply(Segment segment, RecordType type, byte[] key, Location location) {
        long seq = location.seq();
        segment.noteSeq(seq);
        lastSeq = Math.max(lastSeq, seq);
        long recordLength = location.recordLength(key.length);
        switch (type) {
            case PUT -> {
                Location tombstone = tombstones.size() == 0 ? null : tombstones.get(key);
                if (tombstone != null && tombstone.seq() > seq) {
                    segment.addDead(recordLength);
                    return;
                }
                Location replaced = index.putIfNewer(key, location);
                if (replaced == location) {
                    segment.addDead(recordLength);
                } else if (replaced != null) {
                    markDead(replaced, key.length);
                }
            }
            case DELETE -> {
                segment.addDead(recordLength);
                Location current = index.get(key);
                if (current != null && current.seq() < seq) {
                    index.remove(key);
                    markDead(current, key.length);
                }
                Location tombstone = tombstones.get(key);
                if (tombstone == null || tombstone.seq() < seq) {
                    tombstones.put(key, location);
                }
            }
            case INCOMPLETE -> throw new IllegalStateException("scanners never pass INCOMPLETE records on");
        }
    }

    private void markDead(Location location, int keyLength) {
        Segment segment = segments.get(location.segmentId());
        if (segment != null) {
            segment.addDead(location.recordLength(keyLength));
        }
    }
}
