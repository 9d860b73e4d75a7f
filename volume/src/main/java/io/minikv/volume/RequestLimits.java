package io.minikv.volume;

/**
 * How much a server's public listeners take on at once, so that many clients, or slow ones, cannot
 * fill its heap or its threads. Each protocol has its own bound: HTTP (Helidon's listener limits)
 * and gRPC ({@link GrpcCallLimit}).
 *
 * @param maxConcurrentRequests requests (HTTP) or calls (gRPC) in progress at once, per protocol;
 *     beyond it a request is refused at once with 503 and a JSON error (HTTP, which then closes the
 *     connection) or UNAVAILABLE (gRPC)
 * @param maxConnections HTTP connections open at once; further connections wait in the operating
 *     system's accept queue until one closes
 */
public record RequestLimits(int maxConcurrentRequests, int maxConnections) {
    /**
     * Four times the benchmark's 256 clients. A read in progress holds at most a chunk and a gRPC
     * flow-control window of its value (about 1.3 MiB), so the reads alone stay under about 1.3 GiB.
     */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 1024;
    /** An idle kept-alive connection costs a few KiB; this many stay well under the heap. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public static final RequestLimits DEFAULT =
            new RequestLimits(DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_CONNECTIONS);

    public RequestLimits {
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException(
                    "max concurrent requests must be at least 1, got " + maxConcurrentRequests);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, got " + maxConnections);
        }
    }
}
