package io.minikv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The hint file of a sealed segment: for every valid record, its type, key, location and sequence,
 * without the value, so that opening a store reads keys only (docs/storage-format.md). A hint file
 * is written under a temporary name and renamed when complete; a whole-file CRC32C guards it, and a
 * hint that fails it is ignored (the segment is scanned instead).
 */
final class HintFile {
    static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x484B564D; // "MKVH" little-endian
    private static final int FILE_HEADER_SIZE = 16;
    private static final int ENTRY_HEADER = 23;
    private static final int TRAILER = 12;
    private static final int WINDOW = 1 << 20;

    private HintFile() {}

    /** Receives each hint entry. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(RecordType type, byte[] key, long offset, int valueLength, long seq) throws IOException;
    }

    /** Writes a hint file entry by entry; {@link #finish()} makes it durable and gives it its name. */
    static final class Writer implements AutoCloseable {
        private final Disk disk;
        private final int segmentId;
        private final String tempName;
        private final DiskFile file;
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer buffer = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
        private long position;
        private long entries;
        private boolean finished;

        Writer(Disk disk, int segmentId) throws IOException {
            this.disk = disk;
            this.segmentId = segmentId;
            this.tempName = FileNames.temp(FileNames.hint(segmentId));
            this.file = disk.open(tempName, true);
            file.truncate(0);
            buffer.putInt(MAGIC).put((byte) FORMAT_VERSION).put((byte) 0).putShort((short) 0);
            buffer.putInt(segmentId).putInt(0);
        }

        void add(RecordType type, byte[] key, long offset, int valueLength, long seq) throws IOException {
            if (buffer.remaining() < ENTRY_HEADER + key.length) {
                flush();
            }
            buffer.put((byte) type.code).putShort((short) key.length).putInt(valueLength);
            buffer.putLong(offset).putLong(seq).put(key);
            entries++;
        }

        /** Writes the trailer, syncs, and renames the file into place. */
        void finish() throws IOException {
            if (buffer.remaining() < TRAILER) {
                flush();
            }
            buffer.putLong(entries);
            crc.update(buffer.array(), 0, buffer.position());
            buffer.putInt((int) crc.getValue());
            buffer.flip();
            file.write(buffer, position);
            file.force();
            file.close();
            disk.rename(tempName, FileNames.hint(segmentId));
            disk.syncDirectory();
            finished = true;
        }

        private void flush() throws IOException {
            crc.update(buffer.array(), 0, buffer.position());
            buffer.flip();
            int length = buffer.remaining();
            file.write(buffer, position);
            position += length;
            buffer.clear();
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                file.close();
                disk.delete(tempName);
            }
        }
    }

    /**
     * Visits every entry of segment {@code segmentId}'s hint file. Returns false when the file is
     * damaged (bad CRC, magic, version or segment id); the CRC is checked before any entry is
     * visited, so a damaged file visits nothing.
     */
    static boolean read(Disk disk, int segmentId, EntryVisitor visitor) throws IOException {
        try (DiskFile file = disk.open(FileNames.hint(segmentId), false)) {
            long size = file.size();
            if (size < FILE_HEADER_SIZE + TRAILER || !checksumMatches(file, size)) {
                return false;
            }
            ReadWindow window = new ReadWindow(file, size, WINDOW);
            ByteBuffer header = window.at(0, FILE_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            if (header.getInt(0) != MAGIC || header.get(4) != FORMAT_VERSION || header.getInt(8) != segmentId) {
                return false;
            }
            long expected =
                    window.at(size - TRAILER, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            long end = size - TRAILER;
            long position = FILE_HEADER_SIZE;
            long count = 0;
            // The CRC already matched, so a structural error here means a writer bug, not damage;
            // it is still handled as an unusable hint rather than trusted.
            while (position < end) {
                ByteBuffer entry = window.at(position, ENTRY_HEADER).order(ByteOrder.LITTLE_ENDIAN);
                RecordType type = RecordType.fromCode(entry.get(0));
                int keyLength = entry.getShort(1) & 0xFFFF;
                if (type == null
                        || keyLength > RecordCodec.MAX_KEY_LENGTH
                        || position + ENTRY_HEADER + keyLength > end) {
                    return false;
                }
                int valueLength = entry.getInt(3);
                long offset = entry.getLong(7);
                long seq = entry.getLong(15);
                byte[] key = new byte[keyLength];
                window.at(position + ENTRY_HEADER, keyLength).get(key);
                visitor.visit(type, key, offset, valueLength, seq);
                position += ENTRY_HEADER + keyLength;
                count++;
            }
            return count == expected;
        }
    }

    /**
     * The number of entries the given hint files declare, read from their trailers without
     * checking them: an estimate for sizing the index before loading.
     */
    static long entryCount(Disk disk, Iterable<Integer> segmentIds) throws IOException {
        long total = 0;
        for (int id : segmentIds) {
            try (DiskFile file = disk.open(FileNames.hint(id), false)) {
                long size = file.size();
                if (size >= FILE_HEADER_SIZE + TRAILER) {
                    ByteBuffer count = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    file.readFully(count, size - TRAILER);
                    total += Math.max(0, Math.min(count.getLong(0), size / ENTRY_HEADER));
                }
            }
        }
        return total;
    }

    private static boolean checksumMatches(DiskFile file, long size) throws IOException {
        ReadWindow window = new ReadWindow(file, size, WINDOW);
        CRC32C crc = new CRC32C();
        long dataEnd = size - 4;
        for (long at = 0; at < dataEnd; at += WINDOW) {
            crc.update(window.at(at, (int) Math.min(WINDOW, dataEnd - at)));
        }
        int stored = window.at(dataEnd, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        return (int) crc.getValue() == stored;
    }
}
