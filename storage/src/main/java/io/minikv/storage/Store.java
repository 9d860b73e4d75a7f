package io.minikv.storage;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * An embedded key-value store: a Bitcask-style segmented log on disk with an in-memory index of
 * keys (values stay on disk). Open it on a directory, use it from any number of threads, close it.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("data"))) {
 *     store.put("k".getBytes(UTF_8), "v".getBytes(UTF_8));
 *     Optional<byte[]> value = store.get("k".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>Contract. Keys are 1 to {@value #MAX_KEY_LENGTH} bytes; values 0 to {@link
 * StoreOptions#maxValueSize()} bytes. A write returns once it is applied: visible to every reader,
 * and with {@link Durability#ALWAYS} (the default) on disk, so a crash of the process or the machine
 * cannot take it back. If a write throws, it may or may not have happened. A read never returns a
 * value that fails its checksum: it throws {@link CorruptRecordException} instead. A missing key is
 * not an error: get returns an empty Optional, delete returns false.
 *
 * <p>One process at a time: a second open of the same directory, in this process or another, fails
 * with {@link StoreLockedException}.
 */
public final class Store implements Closeable {
    public static final int MAX_KEY_LENGTH = RecordCodec.MAX_KEY_LENGTH;

    /** Values up to this size are taken into memory and written in one record; larger ones are staged. */
    private static final int INLINE_VALUE_LIMIT = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    private final Path directory;
    private final Disk disk;
    private final StoreOptions options;
    private final Closeable directoryLock;
    private final KeyIndex index = new KeyIndex();
    private final SegmentSet segments = new SegmentSet();
    private final ConcurrentLinkedQueue<Segment> toSeal = new ConcurrentLinkedQueue<>();
    private final AtomicLong compactions = new AtomicLong();
    private final AtomicLong bytesReclaimed = new AtomicLong();
    private final AtomicLong corruptions = new AtomicLong();
    private final ScheduledExecutorService maintenance;
    private final LogWriter writer;
    private final Compactor compactor;
    private volatile boolean closed;

    private Store(Path directory, Disk disk, StoreOptions options) throws IOException {
        this.directory = directory;
        this.disk = disk;
        this.options = options;
        this.directoryLock = disk.lock(FileNames.LOCK);
        try {
            Recovery.Result recovered = new Recovery(disk, segments, index, this::report).run();
            this.writer = new LogWriter(
                    disk, segments, options, new WriteListener(), recovered.active(), recovered.lastSeq());
            this.compactor = new Compactor(disk, segments, index, options, this::report, () -> closed, writer::sync);
        } catch (IOException | RuntimeException e) {
            segments.closeAll();
            directoryLock.close();
            throw e;
        }
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "minikv-maintenance " + directory.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        maintenance.execute(index::prepareOrder);
        if (options.durability() == Durability.INTERVAL) {
            long millis = options.syncInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::syncQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
        if (options.backgroundCompaction()) {
            long millis = options.compactionCheckInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::compactInBackground, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Opens (or creates) the store in {@code directory} with default options. */
    public static Store open(Path directory) throws IOException {
        return open(directory, StoreOptions.defaults());
    }

    /**
     * Opens (or creates) the store in {@code directory}, recovering whatever a crash left.
     *
     * @throws StoreLockedException when another process or open Store holds the directory
     */
    public static Store open(Path directory, StoreOptions options) throws IOException {
        return new Store(directory, new LocalDisk(directory), options);
    }

    static Store open(Path directory, Disk disk, StoreOptions options) throws IOException {
        return new Store(directory, disk, options);
    }

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    public void put(byte[] key, byte[] value) throws IOException {
        put(key, value, true);
    }

    /**
     * Stores {@code value} under {@code key}. With {@code waitForSync} false and ALWAYS durability,
     * returns without waiting for fdatasync: the write becomes durable and visible with the next
     * write that does wait (group commit keeps the order), so a crash before then may lose it. Use
     * it for writes whose durability a following write covers. Other durability modes ignore the
     * flag.
     */
    public void put(byte[] key, byte[] value, boolean waitForSync) throws IOException {
        checkKey(key);
        checkOpen();
        if (value.length > options.maxValueSize()) {
            throw new ValueTooLargeException(options.maxValueSize());
        }
        writer.append(RecordType.PUT, key, value, waitForSync);
    }

    /**
     * Stores the bytes of {@code value} under {@code key}, streaming them to disk without holding
     * them in memory. {@code length} is the number of bytes to read, or -1 to read to the end of the
     * stream. The caller closes the stream.
     *
     * @throws EOFException when the stream ends before {@code length} bytes; nothing is stored
     * @throws ValueTooLargeException when the value exceeds the limit; nothing is stored
     */
    public void put(byte[] key, InputStream value, long length) throws IOException {
        checkKey(key);
        checkOpen();
        long limit = options.maxValueSize();
        if (length > limit) {
            throw new ValueTooLargeException(limit);
        }
        int firstRead = (int) (length < 0 ? INLINE_VALUE_LIMIT + 1 : Math.min(length, INLINE_VALUE_LIMIT + 1));
        byte[] head = value.readNBytes(firstRead);
        if (length >= 0 && head.length < firstRead) {
            throw new EOFException("value stream ended after " + head.length + " of " + length + " bytes");
        }
        if (head.length <= INLINE_VALUE_LIMIT) {
            put(key, head);
            return;
        }
        LogWriter.StagedWrite staged = writer.beginStaged(key);
        try {
            CRC32C crc = new CRC32C();
            ByteBuffer chunk = ByteBuffer.wrap(head);
            while (chunk != null) {
                long total = staged.valueLength() + chunk.remaining();
                if (total > limit) {
                    throw new ValueTooLargeException(limit);
                }
                crc.update(chunk.duplicate());
                staged.write(chunk);
                chunk = length >= 0 && total == length ? null : nextChunk(value, length, total);
            }
            if (length >= 0 && staged.valueLength() < length) {
                throw new EOFException("value stream ended after " + staged.valueLength() + " of " + length + " bytes");
            }
            staged.commit((int) crc.getValue());
        } finally {
            staged.abort();
        }
    }

    private static ByteBuffer nextChunk(InputStream in, long length, long soFar) throws IOException {
        int wanted = (int) (length < 0 ? 1 << 20 : Math.min(1 << 20, length - soFar));
        byte[] bytes = in.readNBytes(wanted);
        return bytes.length == 0 ? null : ByteBuffer.wrap(bytes);
    }

    /**
     * Writes every put and delete of {@code batch}, in order, and returns once all are applied (and
     * durable with {@link Durability#ALWAYS}); see {@link WriteBatch} for what it saves and what a
     * crash during the call may keep. Nothing is written when an entry is invalid.
     *
     * @throws InvalidKeyException for a key outside the contract
     * @throws ValueTooLargeException for a value above {@link WriteBatch#MAX_VALUE_SIZE} or the
     *     store's own limit
     */
    public void write(WriteBatch batch) throws IOException {
        checkOpen();
        int limit = Math.min(WriteBatch.MAX_VALUE_SIZE, options.maxValueSize());
        for (WriteBatch.Entry entry : batch.entries()) {
            checkKey(entry.key());
            if (entry.value().length > limit) {
                throw new ValueTooLargeException(limit);
            }
        }
        writer.appendBatch(batch.entries());
    }

    /** The value of {@code key}, or empty when the key is absent. */
    public Optional<byte[]> get(byte[] key) throws IOException {
        checkKey(key);
        checkOpen();
        for (; ; ) {
            Location location = index.get(key);
            if (location == null) {
                return Optional.empty();
            }
            Segment segment = acquire(key, location);
            if (segment == null) {
                continue;
            }
            try {
                return Optional.of(readValue(segment, key, location));
            } finally {
                segment.release();
            }
        }
    }

    /**
     * Opens the value of {@code key} as a stream, for values too large to hold in memory; empty when
     * the key is absent. The caller must close the stream.
     */
    public Optional<ValueStream> openValue(byte[] key) throws IOException {
        checkKey(key);
        checkOpen();
        for (; ; ) {
            Location location = index.get(key);
            if (location == null) {
                return Optional.empty();
            }
            Segment segment = acquire(key, location);
            if (segment == null) {
                continue;
            }
            try {
                RecordHeader header = readHeader(segment, key, location);
                return Optional.of(new ValueStream(
                        segment, location.offset(), key.length, header.valueLength(), header.valueCrc()));
            } catch (IOException | RuntimeException e) {
                segment.release();
                throw e;
            }
        }
    }

    /** Whether {@code key} has a value. */
    public boolean contains(byte[] key) {
        checkKey(key);
        checkOpen();
        return index.get(key) != null;
    }

    /** The length of {@code key}'s value, or -1 when the key is absent; reads no value bytes. */
    public long valueLength(byte[] key) {
        checkKey(key);
        checkOpen();
        Location location = index.get(key);
        return location == null ? -1 : location.valueLength();
    }

    /** Deletes {@code key}; returns whether it had a value. Deleting a missing key is not an error. */
    public boolean delete(byte[] key) throws IOException {
        return delete(key, true);
    }

    /**
     * Deletes {@code key}; {@code waitForSync} as for {@link #put(byte[], byte[], boolean)}. Without
     * waiting, the result is true whenever a tombstone was written, since whether the key existed
     * is settled only when the deletion is applied.
     */
    public boolean delete(byte[] key, boolean waitForSync) throws IOException {
        checkKey(key);
        checkOpen();
        return writer.appendDelete(key, waitForSync, k -> index.get(k) != null);
    }

    /**
     * Up to {@code limit} keys that start with {@code prefix} (empty for all) and sort strictly
     * after {@code startAfter} (null for no bound), in unsigned byte order, which is code point
     * order for UTF-8 keys. To page through keys, pass the last key of one page as the next
     * page's {@code startAfter}.
     */
    public List<byte[]> scan(byte[] prefix, byte[] startAfter, int limit) {
        checkOpen();
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        return index.scan(prefix, startAfter, limit);
    }

    /** Current figures: keys, segments, live and dead bytes, index memory, compactions. */
    public StoreStats stats() {
        checkOpen();
        long total = 0;
        long dead = 0;
        List<Segment> live = segments.live();
        for (Segment segment : live) {
            total += segment.size();
            dead += Math.min(segment.deadBytes(), segment.recordBytes());
        }
        long headers = (long) live.size() * Segment.FILE_HEADER_SIZE;
        return new StoreStats(
                index.size(),
                live.size(),
                total,
                total - headers - dead,
                dead,
                index.memoryBytes(),
                writer.lastSeq(),
                compactions.get(),
                bytesReclaimed.get(),
                corruptions.get());
    }

    /**
     * Compacts now: closes the active segment and rewrites every sealed segment that holds garbage,
     * then returns. Reads and writes go on meanwhile.
     */
    public CompactionResult compact() throws IOException {
        checkOpen();
        try {
            return maintenance
                    .submit(() -> {
                        writer.rotateIfNotEmpty();
                        sealPending();
                        return runCompaction(CompactionPlanner.allWithGarbage(segmentInfos()));
                    })
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for compaction");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("compaction failed", e.getCause());
        }
    }

    /** Makes every write durable now; only needed with INTERVAL or NEVER durability. */
    public void sync() throws IOException {
        checkOpen();
        writer.sync();
    }

    /** The directory this store lives in. */
    public Path directory() {
        return directory;
    }

    /**
     * Closes the store: background work stops (an unfinished compaction is abandoned, which is
     * safe), writes are synced, files closed and the directory lock released. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.log(System.Logger.Level.WARNING, "background work in {0} did not stop in time", directory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.sync();
        } finally {
            try {
                segments.closeAll();
            } finally {
                directoryLock.close();
            }
        }
    }

    private final class WriteListener implements LogWriter.Listener {
        @Override
        public boolean apply(LogWriter.Write write) {
            byte[] key = write.key();
            Location previous = switch (write.type()) {
                case PUT -> index.put(key, write.location());
                case DELETE -> {
                    write.segment().addDead(write.location().recordLength(key.length));
                    yield index.remove(key);
                }
                case INCOMPLETE -> throw new IllegalStateException("INCOMPLETE records are never applied");
            };
            if (previous != null) {
                markDead(previous, key.length);
            }
            return previous != null;
        }

        @Override
        public void rotated(Segment segment) {
            toSeal.add(segment);
            if (closed) {
                return;
            }
            try {
                maintenance.execute(() -> {
                    try {
                        sealPending();
                        if (options.backgroundCompaction()) {
                            compactByGarbageRatio();
                        }
                    } catch (CancellationException e) {
                        LOG.log(System.Logger.Level.DEBUG, "compaction abandoned: {0} is closing", directory);
                    } catch (IOException | RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "sealing a segment failed in " + directory, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // close() won the race: the segment stays unsealed on disk and the next open seals it.
            }
        }
    }

    /**
     * Writes the hint files of segments that stopped taking writes, once their records are durable
     * and applied: only then may compaction judge which of their records are live.
     */
    private void sealPending() throws IOException {
        for (Segment segment; (segment = toSeal.poll()) != null; ) {
            if (options.durability() == Durability.ALWAYS) {
                writer.awaitDurable(segment.maxSeq());
            }
            segment.file().force();
            try (HintFile.Writer hint = new HintFile.Writer(disk, segment.id)) {
                new SegmentScanner(segment, segment.size(), this::report)
                        .scan((header, key, offset) ->
                                hint.add(header.type(), key, offset, header.valueLength(), header.seq()));
                hint.finish();
            }
            segment.markSealed();
        }
    }

    private void compactInBackground() {
        try {
            sealPending();
            compactByGarbageRatio();
        } catch (CancellationException e) {
            LOG.log(System.Logger.Level.DEBUG, "compaction abandoned: {0} is closing", directory);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "background compaction failed in " + directory, e);
        }
    }

    private void compactByGarbageRatio() throws IOException {
        runCompaction(CompactionPlanner.byGarbageRatio(segmentInfos(), options.compactionGarbageRatio()));
    }

    private CompactionResult runCompaction(List<Integer> ids) throws IOException {
        List<Segment> inputs = new ArrayList<>();
        for (int id : ids) {
            Segment segment = segments.get(id);
            if (segment != null) {
                inputs.add(segment);
            }
        }
        if (inputs.isEmpty() || closed) {
            return CompactionResult.NOTHING;
        }
        CompactionResult result = compactor.compact(inputs);
        compactions.incrementAndGet();
        bytesReclaimed.addAndGet(result.bytesReclaimed());
        LOG.log(
                System.Logger.Level.INFO,
                "compacted {0} segments in {1}: {2} bytes reclaimed",
                result.segmentsCompacted(),
                directory,
                result.bytesReclaimed());
        return result;
    }

    private List<CompactionPlanner.SegmentInfo> segmentInfos() {
        return segments.live().stream()
                .map(s -> new CompactionPlanner.SegmentInfo(s.id, s.sealed(), s.recordBytes(), s.deadBytes()))
                .toList();
    }

    private void syncQuietly() {
        try {
            writer.sync();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "periodic sync failed in " + directory, e);
        }
    }

    /** Pins the segment of {@code location}; null when compaction moved the key meanwhile (retry). */
    private Segment acquire(byte[] key, Location location) {
        Segment segment = segments.get(location.segmentId());
        if (segment != null && segment.tryAcquire()) {
            return segment;
        }
        if (location.equals(index.get(key))) {
            throw new IllegalStateException("index points at missing segment " + location.segmentId());
        }
        return null;
    }

    private byte[] readValue(Segment segment, byte[] key, Location location) throws IOException {
        long length = location.recordLength(key.length);
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(
                    "value of " + location.valueLength() + " bytes is too large for a byte array; use openValue");
        }
        ByteBuffer record = segment.read(location.offset(), (int) length);
        RecordHeader header = checkedHeader(segment, key, location, record);
        ByteBuffer value = record.slice(RecordCodec.HEADER_SIZE + key.length, header.valueLength());
        if (RecordCodec.valueCrc(value) != header.valueCrc()) {
            throw corrupt(segment, location, key, "value checksum mismatch");
        }
        byte[] bytes = new byte[header.valueLength()];
        value.get(bytes);
        return bytes;
    }

    private RecordHeader readHeader(Segment segment, byte[] key, Location location) throws IOException {
        return checkedHeader(
                segment, key, location, segment.read(location.offset(), RecordCodec.HEADER_SIZE + key.length));
    }

    private RecordHeader checkedHeader(Segment segment, byte[] key, Location location, ByteBuffer record)
            throws CorruptRecordException {
        RecordHeader header = RecordCodec.decodeHeader(record, segment.salt());
        if (header == null) {
            throw corrupt(segment, location, key, "record header checksum mismatch");
        }
        boolean sameKey = Arrays.equals(
                record.array(), RecordCodec.HEADER_SIZE, RecordCodec.HEADER_SIZE + key.length, key, 0, key.length);
        if (!sameKey || header.seq() != location.seq() || header.valueLength() != location.valueLength()) {
            throw corrupt(segment, location, key, "record does not match the index");
        }
        return header;
    }

    private CorruptRecordException corrupt(Segment segment, Location location, byte[] key, String reason) {
        CorruptionReport report =
                new CorruptionReport(segment.name(), location.offset(), location.recordLength(key.length), reason);
        report(report);
        return new CorruptRecordException(report);
    }

    private void report(CorruptionReport report) {
        corruptions.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "corruption in {0}: {1}", directory, report);
        options.corruptionListener().accept(report);
    }

    private void markDead(Location location, int keyLength) {
        Segment segment = segments.get(location.segmentId());
        if (segment != null) {
            segment.addDead(location.recordLength(keyLength));
        }
    }

    private static void checkKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > MAX_KEY_LENGTH) {
            throw new InvalidKeyException("key must be 1 to " + MAX_KEY_LENGTH + " bytes, got "
                    + (key == null ? "null" : key.length + " bytes"));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store " + directory + " is closed");
        }
    }
}
