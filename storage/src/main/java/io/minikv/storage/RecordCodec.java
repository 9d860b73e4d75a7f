package io.minikv.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes record headers. Pure: ByteBuffers in and out, no I/O. The layout is
 * specified byte by byte in docs/storage-format.md; the constants here must match it.
 */
final class RecordCodec {
    static final int HEADER_SIZE = 40;
    static final int MAX_KEY_LENGTH = 1024;

    private static final int TYPE_OFFSET = 4;
    private static final int FLAGS_OFFSET = 5;
    private static final int KEY_LENGTH_OFFSET = 6;
    private static final int SEQ_OFFSET = 8;
    private static final int TX_OFFSET = 16;
    private static final int TIMESTAMP_OFFSET = 24;
    private static final int VALUE_LENGTH_OFFSET = 32;
    private static final int VALUE_CRC_OFFSET = 36;

    private RecordCodec() {}

    /**
     * Writes the header for {@code key} at the buffer's position and advances it by HEADER_SIZE.
     * {@code salt} is the segment's: it enters the header CRC, so that a record copied from any
     * other segment (a segment file stored as a value, say) never validates here.
     */
    static void encodeHeader(ByteBuffer out, RecordHeader header, byte[] key, int salt) {
        if (header.keyLength() != key.length) {
            throw new IllegalArgumentException("key length " + key.length + " != header " + header.keyLength());
        }
        ByteBuffer b = out.slice(out.position(), HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(TYPE_OFFSET, (byte) header.type().code);
        b.put(FLAGS_OFFSET, (byte) 0);
        b.putShort(KEY_LENGTH_OFFSET, (short) header.keyLength());
        b.putLong(SEQ_OFFSET, header.seq());
        b.putLong(TX_OFFSET, header.txId());
        b.putLong(TIMESTAMP_OFFSET, header.timestampMillis());
        b.putInt(VALUE_LENGTH_OFFSET, header.valueLength());
        b.putInt(VALUE_CRC_OFFSET, header.valueCrc());
        b.putInt(0, headerCrc(salt, b, ByteBuffer.wrap(key)));
        out.position(out.position() + HEADER_SIZE);
    }

    /** Encodes a whole record (header, key, value) into a new buffer, flipped for writing. */
    static ByteBuffer encodeRecord(RecordHeader header, byte[] key, byte[] value, int salt) {
        ByteBuffer out = ByteBuffer.allocate((int) header.recordLength());
        encodeHeader(out, header, key, salt);
        out.put(key).put(value).flip();
        return out;
    }

    /**
     * Decodes the header at {@code b}'s position, followed there by the key. Returns null when the
     * bytes are not a valid header: unknown type, a length out of range, fewer remaining bytes than
     * header and key, or a header CRC mismatch (including a record written with another segment's
     * {@code salt}). {@code b} must hold at least HEADER_SIZE bytes.
     */
    static RecordHeader decodeHeader(ByteBuffer b, int salt) {
        ByteBuffer h = b.slice(b.position(), HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        RecordType type = RecordType.fromCode(h.get(TYPE_OFFSET) & 0xFF);
        int keyLength = h.getShort(KEY_LENGTH_OFFSET) & 0xFFFF;
        int valueLength = h.getInt(VALUE_LENGTH_OFFSET);
        if (type == null || h.get(FLAGS_OFFSET) != 0 || keyLength > MAX_KEY_LENGTH || valueLength < 0) {
            return null;
        }
        if (b.remaining() < HEADER_SIZE + keyLength) {
            return null;
        }
        int storedCrc = h.getInt(0);
        ByteBuffer key = b.slice(b.position() + HEADER_SIZE, keyLength);
        if (headerCrc(salt, h, key) != storedCrc) {
            return null;
        }
        return new RecordHeader(
                type,
                keyLength,
                h.getLong(SEQ_OFFSET),
                h.getLong(TX_OFFSET),
                h.getLong(TIMESTAMP_OFFSET),
                valueLength,
                h.getInt(VALUE_CRC_OFFSET));
    }

    static int valueCrc(byte[] value, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(value, offset, length);
        return (int) crc.getValue();
    }

    static int valueCrc(ByteBuffer value) {
        CRC32C crc = new CRC32C();
        crc.update(value.duplicate());
        return (int) crc.getValue();
    }

    private static int headerCrc(int salt, ByteBuffer header, ByteBuffer key) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, salt));
        crc.update(header.duplicate().position(TYPE_OFFSET).limit(HEADER_SIZE));
        crc.update(key.duplicate());
        return (int) crc.getValue();
    }
}
