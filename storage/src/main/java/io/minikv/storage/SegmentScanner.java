package io.minikv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads every record of a segment in order and checks both checksums, the way recovery and
 * compaction need it.
 *
 * <p>Two kinds of damage are told apart, as LevelDB's log reader does. A torn tail (a record cut
 * short, an INCOMPLETE placeholder, a bad header with nothing valid after it, a bad value at the
 * very end) is what a crash leaves: the scan stops there and reports where the valid bytes end.
 * Damage with valid records after it is corruption: it is reported with its offset and skipped, and
 * the records after it are kept. A record whose value fails its CRC is never passed on.
 */
final class SegmentScanner {
    private static final int WINDOW = 1 << 20;
    private static final int HEADER_AND_KEY = RecordCodec.HEADER_SIZE + RecordCodec.MAX_KEY_LENGTH;

    /** Receives each valid record: its header, key and offset. */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(RecordHeader header, byte[] key, long offset) throws IOException;
    }

    private final Segment segment;
    private final Consumer<CorruptionReport> reporter;
    private final ReadWindow window;
    private final long fileSize;

    SegmentScanner(Segment segment, long fileSize, Consumer<CorruptionReport> reporter) {
        this.segment = segment;
        this.reporter = reporter;
        this.fileSize = fileSize;
        this.window = new ReadWindow(segment.file(), fileSize, WINDOW);
    }

    /** Visits every valid record; returns the offset where the valid records end (the torn tail starts). */
    long scan(RecordVisitor visitor) throws IOException {
        long position = Segment.FILE_HEADER_SIZE;
        while (position < fileSize) {
            Decoded record = decodeAt(position);
            if (record == null) {
                long next = resync(position + 1);
                if (next < 0) {
                    return position;
                }
                report(position, next - position, "unreadable record header; skipped to the next valid record");
                position = next;
                continue;
            }
            RecordHeader header = record.header();
            long end = position + header.recordLength();
            if (header.type() == RecordType.INCOMPLETE || end > fileSize) {
                return position;
            }
            if (!valueCrcMatches(position, header)) {
                if (end == fileSize) {
                    return position;
                }
                report(position, header.recordLength(), "value checksum mismatch; record skipped");
                position = end;
                continue;
            }
            visitor.visit(header, record.key(), position);
            position = end;
        }
        return position;
    }

    private record Decoded(RecordHeader header, byte[] key) {}

    private Decoded decodeAt(long position) throws IOException {
        if (fileSize - position < RecordCodec.HEADER_SIZE) {
            return null;
        }
        ByteBuffer bytes = window.at(position, HEADER_AND_KEY);
        RecordHeader header = RecordCodec.decodeHeader(bytes, segment.salt());
        if (header == null) {
            return null;
        }
        byte[] key = new byte[header.keyLength()];
        bytes.get(RecordCodec.HEADER_SIZE, key);
        return new Decoded(header, key);
    }

    /**
     * Finds the first offset at or after {@code from} where a whole valid record starts, or -1.
     * Every candidate must pass the header CRC and the value CRC, so stray bytes are not taken for
     * records.
     */
    private long resync(long from) throws IOException {
        for (long position = from; position + RecordCodec.HEADER_SIZE <= fileSize; position++) {
            Decoded record = decodeAt(position);
            if (record != null
                    && record.header().type() != RecordType.INCOMPLETE
                    && position + record.header().recordLength() <= fileSize
                    && valueCrcMatches(position, record.header())) {
                return position;
            }
        }
        return -1;
    }

    private boolean valueCrcMatches(long position, RecordHeader header) throws IOException {
        CRC32C crc = new CRC32C();
        long at = position + RecordCodec.HEADER_SIZE + header.keyLength();
        long remaining = header.valueLength();
        while (remaining > 0) {
            int chunk = (int) Math.min(remaining, WINDOW);
            ByteBuffer bytes = window.at(at, chunk);
            if (bytes.remaining() < chunk) {
                return false;
            }
            crc.update(bytes);
            at += chunk;
            remaining -= chunk;
        }
        return (int) crc.getValue() == header.valueCrc();
    }

    private void report(long offset, long length, String reason) {
        reporter.accept(new CorruptionReport(segment.name(), offset, length, reason));
    }
}
