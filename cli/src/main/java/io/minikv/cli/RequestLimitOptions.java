package io.minikv.cli;

import io.minikv.volume.RequestLimits;
import picocli.CommandLine.Option;

/** The request and connection bounds of a server's listeners, shared by {@code coord serve} and {@code volume serve}. */
final class RequestLimitOptions {
    @Option(
            names = "--max-concurrent-requests",
            paramLabel = "N",
            defaultValue = "" + RequestLimits.DEFAULT_MAX_CONCURRENT_REQUESTS,
            description = "requests in progress at once, per protocol (HTTP, gRPC); more get 503 (UNAVAILABLE over"
                    + " gRPC) at once (default: ${DEFAULT-VALUE})")
    private int maxConcurrentRequests;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "" + RequestLimits.DEFAULT_MAX_CONNECTIONS,
            description = "HTTP connections open at once; more wait to be accepted (default: ${DEFAULT-VALUE})")
    private int maxConnections;

    /**
     * The bounds the options give.
     *
     * @throws IllegalArgumentException when one is below 1
     */
    RequestLimits limits() {
        return new RequestLimits(maxConcurrentRequests, maxConnections);
    }
}
