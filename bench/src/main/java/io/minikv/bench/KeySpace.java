package io.minikv.bench;

/**
 * The keys a benchmark reads and writes: {@code user} followed by a 16-digit number, 20 bytes, in
 * the 16 to 24 byte range of typical application keys.
 */
final class KeySpace {
    static final int KEY_LENGTH = 20;

    /** Most keys a read or write benchmark uses. */
    static final int MAX_KEYS = 100_000;

    /**
     * Key and value bytes the read and write benchmarks keep live at most: small enough that the
     * data set stays in the page cache of the 24 GiB benchmark machine with room to spare.
     */
    static final long MAX_DATA_BYTES = 1L << 30;

    private static final byte[] PREFIX = {'u', 's', 'e', 'r'};

    private final byte[][] keys;

    KeySpace(int count) {
        keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            keys[i] = key(i);
        }
    }

    /** 100,000 keys, or fewer for large values so that the data set stays within 1 GiB. */
    static KeySpace forValueSize(int valueSize) {
        return new KeySpace((int) Math.min(MAX_KEYS, MAX_DATA_BYTES / valueSize));
    }

    static byte[] key(long index) {
        byte[] key = new byte[KEY_LENGTH];
        System.arraycopy(PREFIX, 0, key, 0, PREFIX.length);
        long rest = index;
        for (int i = KEY_LENGTH - 1; i >= PREFIX.length; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    int count() {
        return keys.length;
    }

    /** The key at {@code index}, precomputed so that benchmarks measure the store, not formatting. */
    byte[] get(int index) {
        return keys[index];
    }
}
