package io.minikv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Appends records and makes them durable.
 *
 * <p>Ordering: sequence numbers are handed out under one lock, in the order records are written.
 * Index updates are applied in that same order and only once the record is durable (for {@link
 * Durability#ALWAYS}), so a reader never sees a value that a crash could take back.
 *
 * <p>Group commit: in ALWAYS mode a writer appends under the lock, releases it, and waits until its
 * sequence number is durable. The first waiter to find no sync running leads one: it takes every
 * write appended so far, fdatasyncs the files they are in once, applies their index updates in
 * order and wakes the others. Concurrent writers thus share one fdatasync.
 *
 * <p>Large values are staged: a streaming write gets a segment of its own from a small pool, writes
 * a placeholder and the value there without holding the lock, and only takes the lock to turn the
 * placeholder into a real header with a sequence number. A slow upload never holds up other writes.
 */
final class LogWriter {
    /** An appended record, applied to the index once durable. */
    static final class Write {
        private final RecordType type;
        private final byte[] key;
        private final Location location;
        private final Segment segment;
        private volatile boolean existed;

        Write(RecordType type, byte[] key, Location location, Segment segment) {
            this.type = type;
            this.key = key;
            this.location = location;
            this.segment = segment;
        }

        RecordType type() {
            return type;
        }

        byte[] key() {
            return key;
        }

        Location location() {
            return location;
        }

        Segment segment() {
            return segment;
        }

        /** Whether the key had a value when this write was applied. */
        boolean existed() {
            return existed;
        }
    }

    /** What the store does with writes and segments the writer is done with. */
    interface Listener {
        /**
         * Applies a durable write to the index; called in sequence order, one at a time. Returns
         * whether the key had a value before.
         */
        boolean apply(Write write);

        /** A segment is full and will receive no more records. */
        void rotated(Segment segment);
    }

    /** A streaming write in progress in a staging segment; see {@link #beginStaged}. */
    final class StagedWrite {
        private final Segment segment;
        private final byte[] key;
        private final long offset;
        private long valueLength;
        private boolean done;

        private StagedWrite(Segment segment, byte[] key, long offset) {
            this.segment = segment;
            this.key = key;
            this.offset = offset;
        }

        /** Appends a chunk of the value. */
        void write(ByteBuffer chunk) throws IOException {
            int length = chunk.remaining();
            segment.file().write(chunk, offset + RecordCodec.HEADER_SIZE + key.length + valueLength);
            valueLength += length;
        }

        long valueLength() {
            return valueLength;
        }

        /** Publishes the value under its key; returns once it is durable (in ALWAYS mode). */
        Location commit(int valueCrc) throws IOException {
            done = true;
            RecordHeader header = new RecordHeader(
                    RecordType.PUT, key.length, 0, 0, System.currentTimeMillis(), (int) valueLength, valueCrc);
            Write write;
            lock.lock();
            try {
                checkUsable();
                header = withSeq(header, ++lastSeq);
                ByteBuffer encoded = ByteBuffer.allocate(RecordCodec.HEADER_SIZE);
                RecordCodec.encodeHeader(encoded, header, key, segment.salt());
                segment.file().write(encoded.flip(), offset);
                segment.setSize(offset + header.recordLength());
                segment.noteSeq(header.seq());
                write = new Write(
                        RecordType.PUT,
                        key,
                        new Location(segment.id, offset, header.valueLength(), header.seq()),
                        segment);
                publish(write);
            } finally {
                lock.unlock();
            }
            if (options.durability() == Durability.ALWAYS) {
                awaitDurable(header.seq());
            }
            returnStaging(segment);
            return write.location();
        }

        /** Drops the partial value; the staging segment is cut back and reused. */
        void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                segment.file().truncate(offset);
                returnStaging(segment);
            } catch (IOException e) {
                // The segment keeps an INCOMPLETE tail that recovery truncates; do not reuse it.
                rotatedListener(segment);
            }
        }
    }

    private static final int MAX_UNAWAITED = 4096;
    /** The most bytes of a batch written with one call; more take several. */
    private static final int MAX_BATCH_WRITE = 1 << 20;

    private static final byte[] EMPTY = new byte[0];

    private final Disk disk;
    private final SegmentSet segments;
    private final StoreOptions options;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Write> pending = new ArrayList<>();
    private final ConcurrentLinkedDeque<Segment> idleStaging = new ConcurrentLinkedDeque<>();
    private Segment active;
    private long lastSeq;
    /** The sequence number of the last write applied to the index; all before it are applied too. */
    private volatile long appliedSeq;

    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition syncDone = syncLock.newCondition();
    private long durableSeq;
    private boolean syncing;
    private IOException failure;
    private boolean closed;

    LogWriter(Disk disk, SegmentSet segments, StoreOptions options, Listener listener, Segment active, long lastSeq) {
        this.disk = disk;
        this.segments = segments;
        this.options = options;
        this.listener = listener;
        this.active = active;
        this.lastSeq = lastSeq;
        this.appliedSeq = lastSeq;
        this.durableSeq = lastSeq;
    }

    /**
     * Appends a PUT or DELETE record. With {@code awaitSync} it returns once the record is applied
     * (and durable in ALWAYS mode). Without it, in ALWAYS mode, it returns at once and the record
     * is made durable and applied, in order, by the next group commit; other modes apply at once.
     */
    Location append(RecordType type, byte[] key, byte[] value, boolean awaitSync) throws IOException {
        return appendIf(type, key, value, awaitSync, k -> true).location();
    }

    /**
     * Appends a DELETE unless the key is certainly absent: every appended write is applied and
     * {@code present} says no. Returns whether the key had a value: exact when the call waits (or
     * the mode applies at once), else true for a tombstone written on a pending key.
     */
    boolean appendDelete(byte[] key, boolean awaitSync, Predicate<byte[]> present) throws IOException {
        Write write = appendIf(RecordType.DELETE, key, EMPTY, awaitSync, present);
        if (write == null) {
            return false;
        }
        boolean applied = options.durability() != Durability.ALWAYS || awaitSync;
        return !applied || write.existed();
    }

    private Write appendIf(RecordType type, byte[] key, byte[] value, boolean awaitSync, Predicate<byte[]> needed)
            throws IOException {
        int valueCrc = RecordCodec.valueCrc(value, 0, value.length);
        long seq;
        Write write;
        lock.lock();
        try {
            checkUsable();
            if (appliedSeq == lastSeq && !needed.test(key)) {
                return null;
            }
            long recordLength = RecordCodec.HEADER_SIZE + (long) key.length + value.length;
            if (active.size() + recordLength > options.segmentSize() && active.size() > Segment.FILE_HEADER_SIZE) {
                rotate();
            }
            seq = ++lastSeq;
            RecordHeader header =
                    new RecordHeader(type, key.length, seq, 0, System.currentTimeMillis(), value.length, valueCrc);
            long offset = writeRecord(header, key, value);
            active.noteSeq(seq);
            write = new Write(type, key, new Location(active.id, offset, value.length, seq), active);
            publish(write);
            // A caller that never waits must not let the queue of unapplied writes grow without bound.
            awaitSync |= pending.size() > MAX_UNAWAITED;
        } finally {
            lock.unlock();
        }
        if (options.durability() == Durability.ALWAYS && awaitSync) {
            awaitDurable(seq);
        }
        return write;
    }

    /**
     * Appends the records of a batch in order, each run that fits the active segment (and {@link
     * #MAX_BATCH_WRITE}) with one write call, and returns once they are applied (durable in ALWAYS
     * mode, with one group commit for the whole batch).
     */
    void appendBatch(List<WriteBatch.Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        long seq;
        lock.lock();
        try {
            checkUsable();
            int from = 0;
            while (from < entries.size()) {
                long bytes = entries.get(from).recordLength();
                if (active.size() + bytes > options.segmentSize() && active.size() > Segment.FILE_HEADER_SIZE) {
                    rotate();
                }
                long room = Math.min(MAX_BATCH_WRITE, options.segmentSize() - active.size());
                int to = from + 1;
                while (to < entries.size() && bytes + entries.get(to).recordLength() <= room) {
                    bytes += entries.get(to).recordLength();
                    to++;
                }
                appendRun(entries.subList(from, to), (int) bytes);
                from = to;
            }
            seq = lastSeq;
        } finally {
            lock.unlock();
        }
        if (options.durability() == Durability.ALWAYS) {
            awaitDurable(seq);
        }
    }

    /** Writes {@code entries} to the active segment with one call; the lock is held. */
    private void appendRun(List<WriteBatch.Entry> entries, int bytes) throws IOException {
        ByteBuffer run = ByteBuffer.allocate(bytes);
        long base = active.size();
        long now = System.currentTimeMillis();
        List<Write> writes = new ArrayList<>(entries.size());
        for (WriteBatch.Entry entry : entries) {
            long offset = base + run.position();
            byte[] value = entry.value();
            long seq = ++lastSeq;
            RecordHeader header = new RecordHeader(
                    entry.type(),
                    entry.key().length,
                    seq,
                    0,
                    now,
                    value.length,
                    RecordCodec.valueCrc(value, 0, value.length));
            RecordCodec.encodeHeader(run, header, entry.key(), active.salt());
            run.put(entry.key()).put(value);
            writes.add(
                    new Write(entry.type(), entry.key(), new Location(active.id, offset, value.length, seq), active));
        }
        active.append(run.flip());
        for (Write write : writes) {
            active.noteSeq(write.location().seq());
            publish(write);
        }
    }

    /**
     * Starts a streaming write of {@code key} in a staging segment. The caller writes the value,
     * then commits or aborts; until then nothing is visible and a crash leaves only a placeholder
     * that recovery cuts off.
     */
    StagedWrite beginStaged(byte[] key) throws IOException {
        checkUsableUnlocked();
        Segment segment = idleStaging.pollFirst();
        if (segment == null) {
            segment = newSegment();
        }
        long offset = segment.size();
        RecordHeader placeholder = new RecordHeader(RecordType.INCOMPLETE, key.length, 0, 0, 0, 0, 0);
        ByteBuffer head = ByteBuffer.allocate(RecordCodec.HEADER_SIZE + key.length);
        RecordCodec.encodeHeader(head, placeholder, key, segment.salt());
        head.put(key).flip();
        try {
            segment.file().write(head, offset);
        } catch (IOException e) {
            rotatedListener(segment);
            throw e;
        }
        return new StagedWrite(segment, key, offset);
    }

    /**
     * Makes every appended record durable now (for INTERVAL and NEVER modes, and shutdown). Every
     * segment that is not sealed is synced, not only those still taking writes: a segment that
     * just rotated is synced by sealing, which runs later in the background.
     */
    void sync() throws IOException {
        for (Segment segment : segments.live()) {
            if (!segment.sealed()) {
                segment.file().force();
            }
        }
    }

    /** Closes the active segment for writing so that compaction can take it; no-op when empty. */
    void rotateIfNotEmpty() throws IOException {
        lock.lock();
        try {
            checkUsable();
            if (active.size() > Segment.FILE_HEADER_SIZE) {
                rotate();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every write up to {@code seq} is durable and applied, leading a group sync if
     * none is running.
     */
    void awaitDurable(long seq) throws IOException {
        syncLock.lock();
        try {
            while (durableSeq < seq) {
                if (failure != null) {
                    throw new IOException("an earlier fdatasync failed; the store accepts no more writes", failure);
                }
                if (!syncing) {
                    syncing = true;
                    break;
                }
                syncDone.awaitUninterruptibly();
            }
            if (durableSeq >= seq) {
                return;
            }
        } finally {
            syncLock.unlock();
        }
        leadSync();
    }

    long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting writes; staging segments stay on disk and are sealed at the next open. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void leadSync() throws IOException {
        long target;
        List<Write> batch;
        Set<Segment> toSync = new LinkedHashSet<>();
        lock.lock();
        try {
            target = lastSeq;
            batch = new ArrayList<>(pending);
            pending.clear();
            toSync.add(active);
        } finally {
            lock.unlock();
        }
        for (Write write : batch) {
            toSync.add(write.segment());
        }
        IOException error = null;
        try {
            for (Segment segment : toSync) {
                segment.file().force();
            }
            for (Write write : batch) {
                apply(write);
            }
        } catch (IOException e) {
            error = e;
        }
        syncLock.lock();
        try {
            syncing = false;
            if (error != null) {
                failure = error;
            } else {
                durableSeq = target;
            }
            syncDone.signalAll();
        } finally {
            syncLock.unlock();
        }
        if (error != null) {
            throw error;
        }
    }

    private void publish(Write write) {
        if (options.durability() == Durability.ALWAYS) {
            pending.add(write);
        } else {
            apply(write);
        }
    }

    private void apply(Write write) {
        write.existed = listener.apply(write);
        appliedSeq = write.location().seq();
    }

    private long writeRecord(RecordHeader header, byte[] key, byte[] value) throws IOException {
        if (value.length <= 64 * 1024) {
            return active.append(RecordCodec.encodeRecord(header, key, value, active.salt()));
        }
        // Large values are written from the caller's array rather than copied into one buffer.
        ByteBuffer head = ByteBuffer.allocate(RecordCodec.HEADER_SIZE + key.length);
        RecordCodec.encodeHeader(head, header, key, active.salt());
        head.put(key).flip();
        long offset = active.size();
        active.file().write(head, offset);
        active.file().write(ByteBuffer.wrap(value), offset + head.limit());
        active.setSize(offset + header.recordLength());
        return offset;
    }

    private void rotate() throws IOException {
        Segment previous = active;
        active = newSegment();
        listener.rotated(previous);
    }

    private Segment newSegment() throws IOException {
        int id = segments.allocateId();
        Segment segment = Segment.create(disk, id, FileNames.segment(id));
        // The new file's directory entry must be durable before records in it are acknowledged.
        disk.syncDirectory();
        segments.add(segment);
        return segment;
    }

    private void returnStaging(Segment segment) {
        if (segment.size() >= options.segmentSize()) {
            rotatedListener(segment);
        } else {
            idleStaging.addFirst(segment);
        }
    }

    private void rotatedListener(Segment segment) {
        listener.rotated(segment);
    }

    private static RecordHeader withSeq(RecordHeader h, long seq) {
        return new RecordHeader(
                h.type(), h.keyLength(), seq, h.txId(), h.timestampMillis(), h.valueLength(), h.valueCrc());
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        syncLock.lock();
        try {
            if (failure != null) {
                throw new IOException("an earlier fdatasync failed; the store accepts no more writes", failure);
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void checkUsableUnlocked() throws IOException {
        lock.lock();
        try {
            checkUsable();
        } finally {
            lock.unlock();
        }
    }
}
