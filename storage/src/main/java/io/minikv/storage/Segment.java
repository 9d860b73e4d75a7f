package io.minikv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One segment file: a 16-byte file header, then records back to back (docs/storage-format.md).
 *
 * <p>Appends happen under the {@link LogWriter}'s lock; reads are positional and concurrent. A
 * segment is reference-counted so that compaction deletes its file only after the last reader is
 * done: the owner holds one reference, readers take one each, and {@link #retire()} drops the
 * owner's.
 */
final class Segment {
    static final int FILE_HEADER_SIZE = 20;
    static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x53564B4D; // "MKVS" little-endian
    private static final SecureRandom SALTS = new SecureRandom();

    final int id;
    /** Random per segment and secret: mixed into every record's header CRC (docs/storage-format.md). */
    private final int salt;

    private final Disk disk;
    private final DiskFile file;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicLong deadBytes = new AtomicLong();
    private volatile long size;
    private volatile long minSeq = Long.MAX_VALUE;
    private volatile long maxSeq;
    private volatile boolean sealed;
    private volatile Runnable onDeleted = () -> {};

    private Segment(int id, int salt, Disk disk, DiskFile file, long size) {
        this.id = id;
        this.salt = salt;
        this.disk = disk;
        this.file = file;
        this.size = size;
    }

    /** Creates a new, empty segment file under {@code name} (the final name or a temporary one). */
    static Segment create(Disk disk, int id, String name) throws IOException {
        DiskFile file = disk.open(name, true);
        int salt = SALTS.nextInt();
        file.truncate(0);
        file.write(encodeFileHeader(id, salt), 0);
        return new Segment(id, salt, disk, file, FILE_HEADER_SIZE);
    }

    /**
     * Opens an existing segment. A file too short to hold the header was torn while being created
     * and is re-initialized; a damaged header is reported and the records are still read.
     *
     * @throws IOException when the file is a segment of a format version this build cannot read
     */
    static Segment open(Disk disk, int id, Consumer<CorruptionReport> reporter) throws IOException {
        String name = FileNames.segment(id);
        DiskFile file = disk.open(name, false);
        long length = file.size();
        if (length < FILE_HEADER_SIZE) {
            int salt = SALTS.nextInt();
            file.truncate(0);
            file.write(encodeFileHeader(id, salt), 0);
            return new Segment(id, salt, disk, file, FILE_HEADER_SIZE);
        }
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        file.readFully(header, 0);
        header.flip();
        if (header.getInt(0) == MAGIC && (header.get(4) & 0xFF) != FORMAT_VERSION) {
            file.close();
            throw new IOException("%s has format version %d; this build reads version %d"
                    .formatted(name, header.get(4) & 0xFF, FORMAT_VERSION));
        }
        int salt = header.getInt(12);
        if (!header.equals(encodeFileHeader(id, salt))) {
            reporter.accept(new CorruptionReport(name, 0, FILE_HEADER_SIZE, "damaged segment file header"));
            salt = repairedSalt(id, salt, header.getInt(16));
        }
        return new Segment(id, salt, disk, file, length);
    }

    /**
     * The salt of a damaged header. The header CRC covers the salt, so a salt with one flipped bit
     * is found by trying the 32 one-bit variants against the stored CRC. Otherwise the damage is
     * elsewhere (or wider) and the stored salt is kept: if it is wrong after all, records fail
     * their checks and are reported, but none is taken for another.
     */
    private static int repairedSalt(int id, int stored, int storedCrc) {
        for (int bit = 0; bit < Integer.SIZE; bit++) {
            int candidate = stored ^ (1 << bit);
            if (encodeFileHeader(id, candidate).getInt(16) == storedCrc) {
                return candidate;
            }
        }
        return stored;
    }

    private static ByteBuffer encodeFileHeader(int id, int salt) {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MAGIC);
        b.put(4, (byte) FORMAT_VERSION);
        b.putInt(8, id);
        b.putInt(12, salt);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt(16, (int) crc.getValue());
        return b;
    }

    int salt() {
        return salt;
    }

    String name() {
        return FileNames.segment(id);
    }

    DiskFile file() {
        return file;
    }

    /** Bytes of valid records and header: where the next record goes. */
    long size() {
        return size;
    }

    void setSize(long size) {
        this.size = size;
    }

    /** Writes {@code record} at the end; the caller holds the log writer's lock. */
    long append(ByteBuffer record) throws IOException {
        long offset = size;
        long length = record.remaining();
        file.write(record, offset);
        size = offset + length;
        return offset;
    }

    ByteBuffer read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        file.readFully(buffer, offset);
        return buffer.flip();
    }

    void noteSeq(long seq) {
        if (seq < minSeq) {
            minSeq = seq;
        }
        if (seq > maxSeq) {
            maxSeq = seq;
        }
    }

    long minSeq() {
        return minSeq;
    }

    long maxSeq() {
        return maxSeq;
    }

    void addDead(long bytes) {
        deadBytes.addAndGet(bytes);
    }

    long deadBytes() {
        return deadBytes.get();
    }

    /** Bytes of records, live and dead. */
    long recordBytes() {
        return size - FILE_HEADER_SIZE;
    }

    double garbageRatio() {
        long records = recordBytes();
        return records <= 0 ? 0 : Math.min(1.0, (double) deadBytes.get() / records);
    }

    boolean sealed() {
        return sealed;
    }

    void markSealed() {
        sealed = true;
    }

    /** Takes a reader reference; false when the segment is already gone. */
    boolean tryAcquire() {
        for (; ; ) {
            int current = refs.get();
            if (current == 0) {
                return false;
            }
            if (refs.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            deleteFiles();
        }
    }

    /** Drops the owner's reference: the files are deleted when the last reader releases. */
    void retire(Runnable onDeleted) {
        this.onDeleted = onDeleted;
        release();
    }

    /** Closes the file without deleting it (store shutdown). */
    void close() throws IOException {
        file.close();
    }

    /**
     * Deletes the files; {@code onDeleted} runs only once that is durable. A segment whose files
     * could not be deleted stays on disk and is read again at the next open, so it must still
     * count as on disk: compaction drops a tombstone only when no older record is left.
     */
    private void deleteFiles() {
        try {
            file.close();
            disk.delete(FileNames.hint(id));
            disk.delete(name());
            disk.syncDirectory();
            onDeleted.run();
        } catch (IOException e) {
            System.getLogger(Segment.class.getName())
                    .log(System.Logger.Level.WARNING, "could not delete compacted segment " + name(), e);
        }
    }
}
