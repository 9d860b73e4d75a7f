package io.minikv.coordinator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Small committed values kept in a coordinator's memory, so that reading one needs no call to a
 * volume. An entry is a key with one version and that version's bytes; a lookup names the version
 * the linearizable metadata read found, so a cached value can never be served for another version:
 * a newer write, a delete or a repair simply stops matching it, and nothing needs invalidating.
 *
 * <p>The bytes come from a write this coordinator made (the leader read them from the client and
 * the replicas checked their MD5) or from a replica's read, which its checksum verified. Memory is
 * bounded: entries count their bytes plus a fixed overhead against the capacity, the least
 * recently used go first, and values above {@link #MAX_ENTRY_BYTES} are never kept. The cache is
 * split into segments, each with its own lock and share of the capacity, so that readers on
 * different keys rarely wait for one another.
 */
final class ValueCache {
    /** Values larger than this are not cached: they would push out many small ones. */
    static final int MAX_ENTRY_BYTES = 32 * 1024;
    /** What an entry costs besides its value and key: map node, entry, array headers. */
    static final int ENTRY_OVERHEAD = 96;

    private static final int SEGMENTS = 16;

    private final Segment[] segments = new Segment[SEGMENTS];
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param capacityBytes the memory the entries may take; 0 turns the cache off */
    ValueCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("the cache capacity must not be negative, got " + capacityBytes);
        }
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(capacityBytes / SEGMENTS);
        }
    }

    /** The bytes of exactly this version of {@code key}, if cached. */
    Optional<byte[]> get(String key, long version) {
        byte[] value = segment(key).get(key, version);
        (value == null ? misses : hits).increment();
        return Optional.ofNullable(value);
    }

    /**
     * Keeps {@code value} as the bytes of {@code key} at {@code version}, unless an entry of a newer
     * version is cached already or the value is too large. The array must not change afterwards.
     */
    void put(String key, long version, byte[] value) {
        if (value.length <= MAX_ENTRY_BYTES) {
            segment(key).put(key, version, value);
        }
    }

    long bytes() {
        long total = 0;
        for (Segment segment : segments) {
            total += segment.bytes();
        }
        return total;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    static long cost(String key, byte[] value) {
        return ENTRY_OVERHEAD + 2L * key.length() + value.length;
    }

    private Segment segment(String key) {
        return segments[(key.hashCode() & 0x7fffffff) % SEGMENTS];
    }

    private record Entry(long version, byte[] value) {}

    private static final class Segment {
        private final long capacity;
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long bytes;

        Segment(long capacity) {
            this.capacity = capacity;
        }

        synchronized byte[] get(String key, long version) {
            Entry entry = entries.get(key);
            return entry != null && entry.version() == version ? entry.value() : null;
        }

        synchronized void put(String key, long version, byte[] value) {
            long cost = cost(key, value);
            if (cost > capacity) {
                return;
            }
            Entry old = entries.get(key);
            if (old != null) {
                if (old.version() > version) {
                    return;
                }
                bytes -= cost(key, old.value());
            }
            entries.put(key, new Entry(version, value));
            bytes += cost;
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            while (bytes > capacity) {
                Map.Entry<String, Entry> evicted = eldest.next();
                bytes -= cost(evicted.getKey(), evicted.getValue().value());
                eldest.remove();
            }
        }

        synchronized long bytes() {
            return bytes;
        }
    }
}
