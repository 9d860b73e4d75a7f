package io.minikv.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A stored value, read from disk in chunks without holding it in memory. The checksum is verified
 * as the bytes go by, and the last chunk is handed out only after it matched: a damaged value ends
 * in a {@link CorruptRecordException} and is never delivered whole.
 *
 * <p>The stream pins its segment against compaction; close it (try-with-resources) when done.
 */
public final class ValueStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final Segment segment;
    private final long valueStart;
    private final int length;
    private final int expectedCrc;
    private final long recordOffset;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer;
    private long fetched;
    private boolean closed;

    ValueStream(Segment segment, long recordOffset, int keyLength, int length, int expectedCrc) {
        this.segment = segment;
        this.recordOffset = recordOffset;
        this.valueStart = recordOffset + RecordCodec.HEADER_SIZE + keyLength;
        this.length = length;
        this.expectedCrc = expectedCrc;
        this.buffer = ByteBuffer.allocate(Math.max(1, Math.min(CHUNK, length)));
        this.buffer.limit(0);
    }

    /** The value's length in bytes. */
    public long length() {
        return length;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            segment.release();
        }
    }

    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("value stream is closed");
        }
        if (buffer.hasRemaining()) {
            return true;
        }
        if (fetched == length) {
            return false;
        }
        int n = (int) Math.min(buffer.capacity(), length - fetched);
        buffer.clear().limit(n);
        segment.file().readFully(buffer, valueStart + fetched);
        buffer.flip();
        crc.update(buffer.duplicate());
        fetched += n;
        if (fetched == length && (int) crc.getValue() != expectedCrc) {
            buffer.limit(0);
            throw new CorruptRecordException(new CorruptionReport(
                    segment.name(), recordOffset, RecordCodec.HEADER_SIZE + length, "value checksum mismatch"));
        }
        return true;
    }
}
