package io.minikv.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Packs index entries (a key and its location) into large byte pages instead of one object per
 * key: the index's memory per key is the key's bytes plus a fixed 26, with no object headers or
 * pointers. An entry is addressed by a long: page number times PAGE_SIZE plus offset. Not
 * thread-safe; {@link KeyIndex} guards it.
 *
 * <p>Entry layout: segment id (4), record offset (8), value length (4), sequence (8), key length
 * with the dead flag in bit 15 (2), key bytes.
 */
final class KeyArena {
    static final int PAGE_BITS = 20;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    static final int ENTRY_HEADER = 26;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORTS =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final int DEAD = 0x8000;

    private byte[][] pages = new byte[0][];
    private int pageCount;
    private int tail = PAGE_SIZE;
    private long usedBytes;
    private long deadBytes;

    long add(byte[] key, Location location) {
        int entrySize = ENTRY_HEADER + key.length;
        if (tail + entrySize > PAGE_SIZE) {
            if (pageCount == pages.length) {
                pages = Arrays.copyOf(pages, Math.max(4, pages.length * 2));
            }
            pages[pageCount++] = new byte[PAGE_SIZE];
            tail = 0;
        }
        long address = ((long) (pageCount - 1) << PAGE_BITS) | tail;
        byte[] page = pages[pageCount - 1];
        SHORTS.set(page, tail + 24, (short) key.length);
        System.arraycopy(key, 0, page, tail + ENTRY_HEADER, key.length);
        tail += entrySize;
        usedBytes += entrySize;
        setLocation(address, location);
        return address;
    }

    /** Copies the entry at {@code address} of {@code other} into this arena. */
    long copyFrom(KeyArena other, long address) {
        return add(other.key(address), other.location(address));
    }

    void setLocation(long address, Location location) {
        byte[] page = page(address);
        int at = offset(address);
        INTS.set(page, at, location.segmentId());
        LONGS.set(page, at + 4, location.offset());
        INTS.set(page, at + 12, location.valueLength());
        LONGS.set(page, at + 16, location.seq());
    }

    Location location(long address) {
        byte[] page = page(address);
        int at = offset(address);
        return new Location(
                (int) INTS.get(page, at), (long) LONGS.get(page, at + 4), (int) INTS.get(page, at + 12), (long)
                        LONGS.get(page, at + 16));
    }

    int keyLength(long address) {
        return (short) SHORTS.get(page(address), offset(address) + 24) & ~DEAD & 0xFFFF;
    }

    byte[] key(long address) {
        int at = offset(address) + ENTRY_HEADER;
        return Arrays.copyOfRange(page(address), at, at + keyLength(address));
    }

    long keyHash(long address) {
        return KeyHash.hash(page(address), offset(address) + ENTRY_HEADER, keyLength(address));
    }

    boolean keyEquals(long address, byte[] key) {
        int at = offset(address) + ENTRY_HEADER;
        return Arrays.equals(page(address), at, at + keyLength(address), key, 0, key.length);
    }

    /** Compares the entry's key with {@code key} as unsigned bytes (UTF-8 code point order). */
    int compareKey(long address, byte[] key) {
        int at = offset(address) + ENTRY_HEADER;
        return Arrays.compareUnsigned(page(address), at, at + keyLength(address), key, 0, key.length);
    }

    int compare(long a, long b) {
        int atA = offset(a) + ENTRY_HEADER;
        int atB = offset(b) + ENTRY_HEADER;
        return Arrays.compareUnsigned(page(a), atA, atA + keyLength(a), page(b), atB, atB + keyLength(b));
    }

    boolean startsWith(long address, byte[] prefix) {
        int length = keyLength(address);
        if (length < prefix.length) {
            return false;
        }
        int at = offset(address) + ENTRY_HEADER;
        return Arrays.equals(page(address), at, at + prefix.length, prefix, 0, prefix.length);
    }

    void markDead(long address) {
        byte[] page = page(address);
        int at = offset(address) + 24;
        short lengthAndFlags = (short) SHORTS.get(page, at);
        SHORTS.set(page, at, (short) (lengthAndFlags | DEAD));
        deadBytes += ENTRY_HEADER + keyLength(address);
    }

    boolean isDead(long address) {
        return ((short) SHORTS.get(page(address), offset(address) + 24) & DEAD) != 0;
    }

    long usedBytes() {
        return usedBytes;
    }

    long deadBytes() {
        return deadBytes;
    }

    long memoryBytes() {
        return (long) pageCount * PAGE_SIZE + (long) pages.length * Long.BYTES;
    }

    private byte[] page(long address) {
        return pages[(int) (address >>> PAGE_BITS)];
    }

    private static int offset(long address) {
        return (int) (address & (PAGE_SIZE - 1));
    }
}
