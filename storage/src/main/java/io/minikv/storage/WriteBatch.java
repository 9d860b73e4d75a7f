package io.minikv.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts and deletes that {@link Store#write} writes together, in the order they were added: the
 * records go to the log in as few write calls as the segment size allows, one fdatasync makes them
 * durable, and they are applied to the index in order, so a later entry for a key wins over an
 * earlier one. It saves the calls, syncs and thread wake-ups that as many separate writes would
 * cost, as LevelDB's and RocksDB's write batches do.
 *
 * <p>Not atomic across a crash: records are recovered one by one, and a crash during the write
 * may keep a prefix of the batch. Once {@link Store#write} returns, all of it is applied (and on
 * disk with {@link Durability#ALWAYS}).
 *
 * <p>Values are at most {@link #MAX_VALUE_SIZE} bytes, the store's own limit permitting: a batch is
 * held in memory, and larger values stream through {@link Store#put(byte[], java.io.InputStream,
 * long)}. A delete writes a tombstone whether or not the key exists. Not thread-safe.
 */
public final class WriteBatch {
    /** The largest value a batch takes. */
    public static final int MAX_VALUE_SIZE = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** One record of the batch: a PUT with its value or a DELETE with an empty one. */
    record Entry(RecordType type, byte[] key, byte[] value) {
        long recordLength() {
            return RecordCodec.HEADER_SIZE + (long) key.length + value.length;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds a put of {@code value} under {@code key}; the arrays are not copied. */
    public WriteBatch put(byte[] key, byte[] value) {
        entries.add(new Entry(RecordType.PUT, key, value));
        return this;
    }

    /** Adds a deletion of {@code key}. */
    public WriteBatch delete(byte[] key) {
        entries.add(new Entry(RecordType.DELETE, key, EMPTY));
        return this;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    List<Entry> entries() {
        return entries;
    }
}
