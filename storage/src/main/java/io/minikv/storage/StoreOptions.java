package io.minikv.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link Store} behaves. Start from {@link #defaults()} and change what you need with the
 * {@code with} methods.
 *
 * @param segmentSize the active segment is closed and a new one started past this many bytes
 * @param durability when writes are acknowledged relative to fdatasync
 * @param syncInterval how often INTERVAL durability syncs
 * @param compactionGarbageRatio a sealed segment is compacted in the background once this share of
 *     its bytes is garbage (overwritten or deleted records)
 * @param compactionBytesPerSecond compaction's I/O budget; 0 for no limit
 * @param compactionCheckInterval how often the background compactor looks for work (it also looks
 *     whenever a segment is sealed)
 * @param backgroundCompaction whether compaction runs on its own; {@link Store#compact()} always works
 * @param maxValueSize the largest value accepted, in bytes
 * @param corruptionListener told of every damaged record or file region the store steps around (in
 *     addition to a log line)
 */
public record StoreOptions(
        long segmentSize,
        Durability durability,
        Duration syncInterval,
        double compactionGarbageRatio,
        long compactionBytesPerSecond,
        Duration compactionCheckInterval,
        boolean backgroundCompaction,
        int maxValueSize,
        Consumer<CorruptionReport> corruptionListener) {

    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    public static final int DEFAULT_MAX_VALUE_SIZE = 1 << 30;
    /** The largest value the on-disk format can hold: its length field is a signed 32-bit integer. */
    public static final int MAX_VALUE_SIZE_LIMIT =
            Integer.MAX_VALUE - RecordCodec.HEADER_SIZE - RecordCodec.MAX_KEY_LENGTH;

    public StoreOptions {
        if (segmentSize < 4096) {
            throw new IllegalArgumentException("segmentSize must be at least 4096 bytes, got " + segmentSize);
        }
        Objects.requireNonNull(durability, "durability");
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval must be positive");
        }
        if (!(compactionGarbageRatio > 0 && compactionGarbageRatio <= 1)) {
            throw new IllegalArgumentException(
                    "compactionGarbageRatio must be in (0, 1], got " + compactionGarbageRatio);
        }
        if (compactionBytesPerSecond < 0) {
            throw new IllegalArgumentException("compactionBytesPerSecond must be >= 0");
        }
        if (compactionCheckInterval.isNegative() || compactionCheckInterval.isZero()) {
            throw new IllegalArgumentException("compactionCheckInterval must be positive");
        }
        if (maxValueSize < 0 || maxValueSize > MAX_VALUE_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxValueSize must be in [0, " + MAX_VALUE_SIZE_LIMIT + "]");
        }
        Objects.requireNonNull(corruptionListener, "corruptionListener");
    }

    /** 64 MiB segments, ALWAYS durability, compaction at 50% garbage limited to 64 MiB/s, 1 GiB values. */
    public static StoreOptions defaults() {
        return new StoreOptions(
                DEFAULT_SEGMENT_SIZE,
                Durability.ALWAYS,
                Duration.ofMillis(200),
                0.5,
                64L << 20,
                Duration.ofSeconds(30),
                true,
                DEFAULT_MAX_VALUE_SIZE,
                report -> {});
    }

    public StoreOptions withSegmentSize(long bytes) {
        return new StoreOptions(
                bytes,
                durability,
                syncInterval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withDurability(Durability mode) {
        return new StoreOptions(
                segmentSize,
                mode,
                syncInterval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withSyncInterval(Duration interval) {
        return new StoreOptions(
                segmentSize,
                durability,
                interval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withCompactionGarbageRatio(double ratio) {
        return new StoreOptions(
                segmentSize,
                durability,
                syncInterval,
                ratio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withCompactionBytesPerSecond(long bytesPerSecond) {
        return new StoreOptions(
                segmentSize,
                durability,
                syncInterval,
                compactionGarbageRatio,
                bytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withCompactionCheckInterval(Duration interval) {
        return new StoreOptions(
                segmentSize,
                durability,
                syncInterval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                interval,
                backgroundCompaction,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withBackgroundCompaction(boolean enabled) {
        return new StoreOptions(
                segmentSize,
                durability,
                syncInterval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                enabled,
                maxValueSize,
                corruptionListener);
    }

    public StoreOptions withMaxValueSize(int bytes) {
        return new StoreOptions(
                segmentSize,
                durability,
                syncInterval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                bytes,
                corruptionListener);
    }

    public StoreOptions withCorruptionListener(Consumer<CorruptionReport> listener) {
        return new StoreOptions(
                segmentSize,
                durability,
                syncInterval,
                compactionGarbageRatio,
                compactionBytesPerSecond,
                compactionCheckInterval,
                backgroundCompaction,
                maxValueSize,
                listener);
    }
}
