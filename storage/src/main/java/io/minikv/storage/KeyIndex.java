package io.minikv.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

/**
 * The in-memory map from key to {@link Location}, compact enough for tens of millions of keys.
 *
 * <p>Entries live in a {@link KeyArena}. Point lookups go through an open-addressing hash table of
 * longs (a 24-bit hash fingerprint over a 40-bit arena address, linear probing, backward-shift
 * deletion). Ordered scans go through an array of arena addresses sorted by key; new keys are
 * appended to a small unsorted buffer that a scan sorts and, once it is large, merges into the
 * sorted array, so inserts stay O(1) and only scans pay for order. Deleted entries are flagged dead
 * in the arena and skipped by scans until the arena is compacted.
 *
 * <p>Thread-safety: one writer at a time (callers serialize mutations), any number of readers.
 * Lookups are optimistic reads of a StampedLock that retry under the read lock when a write
 * intervened.
 */
final class KeyIndex {
    private static final int FINGERPRINT_SHIFT = 40;
    private static final long ADDRESS_MASK = (1L << FINGERPRINT_SHIFT) - 1;
    private static final int RECENT_MERGE_THRESHOLD = 4096;
    private static final long MIN_ARENA_GARBAGE = 4L << 20;

    private final StampedLock lock = new StampedLock();
    private final ReentrantLock mergeLock = new ReentrantLock();
    private KeyArena arena = new KeyArena();
    private long[] slots = new long[1024];
    private int size;
    private long[] sorted = new long[0];
    private int sortedCount;
    private long[] recent = new long[64];
    private int recentCount;
    private boolean recentSorted = true;

    /** The key's location, or null when the key is absent. */
    Location get(byte[] key) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                Location found = find(key);
                if (lock.validate(stamp)) {
                    return found;
                }
            } catch (RuntimeException raced) {
                // A concurrent resize can send an optimistic reader out of bounds; retry locked.
            }
        }
        stamp = lock.readLock();
        try {
            return find(key);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Sets the key's location; returns the previous one, or null when the key was absent. */
    Location put(byte[] key, Location location) {
        long stamp = lock.writeLock();
        try {
            long hash = KeyHash.hash(key, 0, key.length);
            int slot = slotOf(key, hash);
            if (slot >= 0) {
                long address = slots[slot] & ADDRESS_MASK;
                Location previous = arena.location(address - 1);
                arena.setLocation(address - 1, location);
                return previous;
            }
            insertNew(key, hash, location);
            return null;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private void insertNew(byte[] key, long hash, Location location) {
        long address = arena.add(key, location);
        insertSlot(hash, address);
        appendRecent(address);
        size++;
        if (size > slots.length * 0.7) {
            resize(slots.length * 2);
        }
    }

    /**
     * Recovery's upsert, in one probe: sets the key's location unless it already has one with an
     * equal or higher sequence number. Returns null when the key was absent, the replaced location
     * when it was older, and {@code location} itself when it was rejected.
     */
    Location putIfNewer(byte[] key, Location location) {
        long stamp = lock.writeLock();
        try {
            long hash = KeyHash.hash(key, 0, key.length);
            int slot = slotOf(key, hash);
            if (slot >= 0) {
                long address = (slots[slot] & ADDRESS_MASK) - 1;
                Location previous = arena.location(address);
                if (previous.seq() >= location.seq()) {
                    return location;
                }
                arena.setLocation(address, location);
                return previous;
            }
            insertNew(key, hash, location);
            return null;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Sizes the hash table for {@code keys} entries at once, sparing the rehashing of growth. */
    void ensureCapacity(long keys) {
        long stamp = lock.writeLock();
        try {
            long wanted = Long.highestOneBit(Math.max(1024, (long) (keys / 0.7)) * 2 - 1);
            if (wanted > slots.length && wanted <= 1 << 30) {
                resize((int) wanted);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Moves the key to {@code updated} only if it is still at {@code expected}; for compaction. */
    boolean relocate(byte[] key, Location expected, Location updated) {
        long stamp = lock.writeLock();
        try {
            int slot = slotOf(key, KeyHash.hash(key, 0, key.length));
            if (slot < 0) {
                return false;
            }
            long address = (slots[slot] & ADDRESS_MASK) - 1;
            if (!arena.location(address).equals(expected)) {
                return false;
            }
            arena.setLocation(address, updated);
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes the key only if it is still at {@code expected}; for records found corrupt. */
    boolean removeIfAt(byte[] key, Location expected) {
        long stamp = lock.writeLock();
        try {
            int slot = slotOf(key, KeyHash.hash(key, 0, key.length));
            if (slot < 0 || !arena.location((slots[slot] & ADDRESS_MASK) - 1).equals(expected)) {
                return false;
            }
            removeAt(slot);
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes the key; returns its location, or null when it was absent. */
    Location remove(byte[] key) {
        long stamp = lock.writeLock();
        try {
            int slot = slotOf(key, KeyHash.hash(key, 0, key.length));
            return slot < 0 ? null : removeAt(slot);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private Location removeAt(int slot) {
        long address = (slots[slot] & ADDRESS_MASK) - 1;
        Location previous = arena.location(address);
        arena.markDead(address);
        deleteSlot(slot);
        size--;
        if (arena.deadBytes() > MIN_ARENA_GARBAGE && arena.deadBytes() * 2 > arena.usedBytes()) {
            compactArena();
        }
        return previous;
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Heap bytes held by the index structures. */
    long memoryBytes() {
        long stamp = lock.readLock();
        try {
            return arena.memoryBytes() + (long) (slots.length + sorted.length + recent.length) * Long.BYTES;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Up to {@code limit} keys that start with {@code prefix} and sort after {@code startAfter}
     * (null for no bound), in unsigned byte order.
     */
    List<byte[]> scan(byte[] prefix, byte[] startAfter, int limit) {
        mergeRecentIfLarge();
        long stamp = lock.writeLock();
        try {
            if (!recentSorted) {
                sortAddresses(arena, recent, recentCount);
                recentSorted = true;
            }
            stamp = lock.tryConvertToReadLock(stamp);
            List<byte[]> keys = new ArrayList<>(Math.min(limit, 1024));
            boolean afterBound = startAfter != null && Arrays.compareUnsigned(startAfter, prefix) >= 0;
            int inSorted =
                    afterBound ? upperBound(sorted, sortedCount, startAfter) : lowerBound(sorted, sortedCount, prefix);
            int inRecent =
                    afterBound ? upperBound(recent, recentCount, startAfter) : lowerBound(recent, recentCount, prefix);
            while (keys.size() < limit && (inSorted < sortedCount || inRecent < recentCount)) {
                long next;
                if (inRecent >= recentCount
                        || (inSorted < sortedCount && arena.compare(sorted[inSorted], recent[inRecent]) < 0)) {
                    next = sorted[inSorted++];
                } else {
                    next = recent[inRecent++];
                }
                if (!arena.startsWith(next, prefix)) {
                    break;
                }
                if (!arena.isDead(next)) {
                    keys.add(arena.key(next));
                }
            }
            return keys;
        } finally {
            lock.unlock(stamp);
        }
    }

    /**
     * Sorts keys added since the last scan now, off the caller's path: a store calls this in the
     * background after recovery so that the first listing does not pay for sorting every key.
     */
    void prepareOrder() {
        mergeRecentIfLarge();
    }

    /** Calls {@code visitor} for every key and location; holds the read lock meanwhile. */
    void forEach(EntryVisitor visitor) {
        long stamp = lock.readLock();
        try {
            for (long slot : slots) {
                if (slot != 0) {
                    long address = (slot & ADDRESS_MASK) - 1;
                    visitor.visit(arena.key(address), arena.location(address));
                }
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @FunctionalInterface
    interface EntryVisitor {
        void visit(byte[] key, Location location);
    }

    private Location find(byte[] key) {
        long[] table = slots;
        int slot = slotOf(table, key, KeyHash.hash(key, 0, key.length));
        return slot < 0 ? null : arena.location((table[slot] & ADDRESS_MASK) - 1);
    }

    private int slotOf(byte[] key, long hash) {
        return slotOf(slots, key, hash);
    }

    private int slotOf(long[] table, byte[] key, long hash) {
        int mask = table.length - 1;
        long fingerprint = hash >>> FINGERPRINT_SHIFT;
        int index = (int) hash & mask;
        for (int probes = 0; probes < table.length; probes++) {
            long slot = table[index];
            if (slot == 0) {
                return -1;
            }
            if (slot >>> FINGERPRINT_SHIFT == fingerprint && arena.keyEquals((slot & ADDRESS_MASK) - 1, key)) {
                return index;
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    private void insertSlot(long hash, long address) {
        int mask = slots.length - 1;
        int index = (int) hash & mask;
        while (slots[index] != 0) {
            index = (index + 1) & mask;
        }
        slots[index] = (hash >>> FINGERPRINT_SHIFT) << FINGERPRINT_SHIFT | (address + 1);
    }

    /** Backward-shift deletion: keeps every probe chain unbroken without tombstone slots. */
    private void deleteSlot(int slot) {
        int mask = slots.length - 1;
        int hole = slot;
        int index = (slot + 1) & mask;
        while (slots[index] != 0) {
            long address = (slots[index] & ADDRESS_MASK) - 1;
            int home = (int) arena.keyHash(address) & mask;
            // Move the entry into the hole unless its home lies cyclically in (hole, index].
            boolean homeBetween = hole <= index ? (hole < home && home <= index) : (hole < home || home <= index);
            if (!homeBetween) {
                slots[hole] = slots[index];
                hole = index;
            }
            index = (index + 1) & mask;
        }
        slots[hole] = 0;
    }

    private void resize(int capacity) {
        long[] old = slots;
        slots = new long[capacity];
        for (long slot : old) {
            if (slot != 0) {
                long address = (slot & ADDRESS_MASK) - 1;
                insertSlot(arena.keyHash(address), address);
            }
        }
    }

    private void appendRecent(long address) {
        if (recentCount == recent.length) {
            recent = Arrays.copyOf(recent, recent.length * 2);
        }
        recent[recentCount++] = address;
        recentSorted = false;
    }

    /**
     * Folds a large recent buffer into the sorted array. The expensive part, sorting, runs outside
     * the lock: keys in the arena never change once written, so a snapshot of addresses can be
     * sorted while writers go on; only the O(n) merge holds the write lock.
     */
    private void mergeRecentIfLarge() {
        mergeLock.lock();
        try {
            long stamp = lock.readLock();
            KeyArena snapshotArena;
            long[] batch;
            try {
                if (recentCount <= RECENT_MERGE_THRESHOLD) {
                    return;
                }
                snapshotArena = arena;
                batch = Arrays.copyOf(recent, recentCount);
            } finally {
                lock.unlockRead(stamp);
            }
            sortAddresses(snapshotArena, batch, batch.length);
            stamp = lock.writeLock();
            try {
                if (arena != snapshotArena) {
                    return; // compactArena rebuilt everything meanwhile; the batch is stale
                }
                mergeIntoSorted(batch);
                recentCount -= batch.length;
                System.arraycopy(recent, batch.length, recent, 0, recentCount);
                recentSorted = recentCount == 0;
            } finally {
                lock.unlockWrite(stamp);
            }
        } finally {
            mergeLock.unlock();
        }
    }

    /** Merges sorted {@code batch} into the sorted array: O(n) copying, O(r log n) comparisons. */
    private void mergeIntoSorted(long[] batch) {
        long[] merged = new long[Math.max(16, (sortedCount + batch.length) * 9 / 8)];
        int out = 0;
        int from = 0;
        for (long address : batch) {
            int until = lowerBound(sorted, from, sortedCount, address);
            System.arraycopy(sorted, from, merged, out, until - from);
            out += until - from;
            from = until;
            merged[out++] = address;
        }
        System.arraycopy(sorted, from, merged, out, sortedCount - from);
        sorted = merged;
        sortedCount = out + sortedCount - from;
    }

    /**
     * Rewrites the arena without dead entries. Every live entry stands exactly once in the sorted
     * array or the recent buffer, so copying both in place keeps their order with no sorting.
     */
    private void compactArena() {
        KeyArena compacted = new KeyArena();
        sortedCount = copyLive(compacted, sorted, sortedCount);
        recentCount = copyLive(compacted, recent, recentCount);
        arena = compacted;
        slots = new long[slots.length];
        for (int i = 0; i < sortedCount; i++) {
            insertSlot(arena.keyHash(sorted[i]), sorted[i]);
        }
        for (int i = 0; i < recentCount; i++) {
            insertSlot(arena.keyHash(recent[i]), recent[i]);
        }
    }

    private int copyLive(KeyArena target, long[] addresses, int count) {
        int live = 0;
        for (int i = 0; i < count; i++) {
            if (!arena.isDead(addresses[i])) {
                addresses[live++] = target.copyFrom(arena, addresses[i]);
            }
        }
        return live;
    }

    private int lowerBound(long[] addresses, int count, byte[] key) {
        int low = 0;
        int high = count;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (arena.compareKey(addresses[mid], key) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int upperBound(long[] addresses, int count, byte[] key) {
        int low = 0;
        int high = count;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (arena.compareKey(addresses[mid], key) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int lowerBound(long[] addresses, int from, int to, long address) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (arena.compare(addresses[mid], address) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Sorts arena addresses by key; a merge sort, since the JDK sorts primitives only by value. */
    private static void sortAddresses(KeyArena arena, long[] addresses, int count) {
        long[] scratch = new long[count];
        for (int width = 1; width < count; width *= 2) {
            for (int low = 0; low < count - width; low += 2 * width) {
                int mid = low + width;
                int high = Math.min(low + 2 * width, count);
                if (arena.compare(addresses[mid - 1], addresses[mid]) <= 0) {
                    continue;
                }
                System.arraycopy(addresses, low, scratch, low, high - low);
                int left = low;
                int right = mid;
                for (int out = low; out < high; out++) {
                    if (right >= high || (left < mid && arena.compare(scratch[left], scratch[right]) <= 0)) {
                        addresses[out] = scratch[left++];
                    } else {
                        addresses[out] = scratch[right++];
                    }
                }
            }
        }
    }
}
