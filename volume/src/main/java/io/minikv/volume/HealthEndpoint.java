package io.minikv.volume;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.storage.StoreStats;

/** {@code GET /health}: the volume is serving, with its store's figures. */
final class HealthEndpoint {
    private static final double MIB = 1024.0 * 1024.0;

    private final BlobStore blobs;
    private final String volumeId;
    private final boolean replica;
    private final UploadSlots uploads;

    HealthEndpoint(BlobStore blobs, String volumeId, boolean replica, UploadSlots uploads) {
        this.blobs = blobs;
        this.volumeId = volumeId;
        this.replica = replica;
        this.uploads = uploads;
    }

    /**
     * The health report.
     *
     * @param mode {@code standalone}, or {@code replica} in a cluster
     * @param keys keys in the engine's index: one per blob, plus one per blob over 32 KiB (its data
     *     record) and one per upload being staged
     */
    record Health(
            String status,
            String volumeId,
            String mode,
            long keys,
            int segments,
            double totalMb,
            double liveMb,
            double deadMb,
            long totalBytes,
            long liveBytes,
            long deadBytes,
            long compactions,
            long corruptions,
            int uploadsInFlight) {}

    void get(ServerRequest req, ServerResponse res) {
        StoreStats stats = blobs.stats();
        ResponseBodies.json(
                req,
                res,
                new Health(
                        "healthy",
                        volumeId,
                        replica ? "replica" : "standalone",
                        stats.keys(),
                        stats.segments(),
                        mib(stats.totalBytes()),
                        mib(stats.liveBytes()),
                        mib(stats.deadBytes()),
                        stats.totalBytes(),
                        stats.liveBytes(),
                        stats.deadBytes(),
                        stats.compactions(),
                        stats.corruptionsReported(),
                        uploads.inUse()));
    }

    private static double mib(long bytes) {
        return Math.round(bytes / MIB * 100) / 100.0;
    }
}
