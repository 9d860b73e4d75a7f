package io.minikv.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * A test value that says which key and version it is and checks itself, so that a crash test can
 * tell a garbled value, a value of another key and a stale version apart from the right one.
 *
 * <p>Layout (little-endian): magic "MKTV", key length (2), key, version (8), payload length (4),
 * payload, CRC32C of everything before it (4). The payload is pseudo-random bytes seeded by key and
 * version: two writes of the same key and version are byte-identical.
 */
final class CheckedValue {
    private static final int MAGIC = 0x56544B4D; // "MKTV" little-endian
    private static final int FIXED = 4 + 2 + 8 + 4 + 4;

    private CheckedValue() {}

    /** The smallest value {@link #encode} makes for {@code key}. */
    static int overhead(byte[] key) {
        return FIXED + key.length;
    }

    /** A value of {@code length} bytes (at least {@link #overhead}) for {@code key} at {@code version}. */
    static byte[] encode(byte[] key, long version, int length) {
        int payload = length - overhead(key);
        if (payload < 0) {
            throw new IllegalArgumentException("length " + length + " is below the overhead " + overhead(key));
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort((short) key.length).put(key).putLong(version).putInt(payload);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(key) * 0x9E3779B97F4A7C15L ^ version);
        byte[] bytes = new byte[payload];
        random.nextBytes(bytes);
        b.put(bytes);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, length - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * The version stored in {@code value}, after checking that it is an intact value of {@code key}.
     *
     * @throws IllegalArgumentException describing the damage otherwise
     */
    static long versionOf(byte[] key, byte[] value) {
        if (value.length < overhead(key)) {
            throw new IllegalArgumentException("value of " + value.length + " bytes is too short");
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(value, 0, value.length - 4);
        if ((int) crc.getValue() != b.getInt(value.length - 4)) {
            throw new IllegalArgumentException("value fails its own checksum (garbled)");
        }
        if (b.getInt(0) != MAGIC || (b.getShort(4) & 0xFFFF) != key.length) {
            throw new IllegalArgumentException("value is not a test value of this key");
        }
        if (!Arrays.equals(value, 6, 6 + key.length, key, 0, key.length)) {
            throw new IllegalArgumentException("value belongs to another key");
        }
        long version = b.getLong(6 + key.length);
        if (b.getInt(14 + key.length) != value.length - overhead(key)) {
            throw new IllegalArgumentException("value has the wrong length");
        }
        if (!Arrays.equals(value, encode(key, version, value.length))) {
            throw new IllegalArgumentException("value payload differs from what version " + version + " wrote");
        }
        return version;
    }
}
