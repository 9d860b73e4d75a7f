package io.minikv.storage;

/**
 * A snapshot of a store's figures.
 *
 * @param keys live keys
 * @param segments segment files in use
 * @param totalBytes bytes of all segment files
 * @param liveBytes bytes of records that are current (including their headers and keys)
 * @param deadBytes bytes of overwritten or deleted records and tombstones, reclaimable by compaction
 * @param indexBytes heap bytes held by the in-memory index
 * @param lastSequence the highest sequence number written
 * @param compactions compactions run since open
 * @param bytesReclaimed bytes compaction freed since open
 * @param corruptionsReported damaged records or regions reported since open
 */
public record StoreStats(
        long keys,
        int segments,
        long totalBytes,
        long liveBytes,
        long deadBytes,
        long indexBytes,
        long lastSequence,
        long compactions,
        long bytesReclaimed,
        long corruptionsReported) {}
