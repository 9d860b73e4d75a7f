package io.minikv.volume;

import io.minikv.storage.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How a volume server runs. Start from {@link #standalone} and change what you need with the
 * {@code with} methods.
 *
 * @param id the volume's id, unique in a cluster
 * @param http the public HTTP address (port 0: any free port)
 * @param grpc the internal gRPC address, or null
 * @param dataDir where the blobs are stored
 * @param coordinators the coordinators of the cluster this volume is a replica in, which it sends
 *     heartbeats to; empty for a standalone volume, which takes writes over HTTP. A replica needs a
 *     gRPC address: set it with {@link #withGrpc} before the coordinators
 * @param maxBlobSize the largest blob accepted, in bytes
 * @param maxConcurrentUploads uploads received at once; more are refused with 503
 * @param shutdownGracePeriod how long a stop waits for requests in flight to finish
 * @param bodyIdleTimeout how long a read of an HTTP request body may wait for data before the
 *     connection is closed ({@link BodyIdleTimeout})
 * @param requestLimits the requests and connections taken on at once
 * @param storeOptions the storage engine's options (durability, segment size, compaction)
 */
public record VolumeConfig(
        String id,
        HostPort http,
        HostPort grpc,
        Path dataDir,
        List<URI> coordinators,
        long maxBlobSize,
        int maxConcurrentUploads,
        Duration shutdownGracePeriod,
        Duration bodyIdleTimeout,
        RequestLimits requestLimits,
        StoreOptions storeOptions) {

    public static final long DEFAULT_MAX_BLOB_SIZE = 1L << 30;
    public static final int DEFAULT_MAX_CONCURRENT_UPLOADS = 64;
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(30);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public VolumeConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "volume id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit;"
                            + " got '" + id + "'");
        }
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(dataDir, "dataDir");
        coordinators = List.copyOf(coordinators);
        for (URI coordinator : coordinators) {
            if (!("http".equals(coordinator.getScheme()) || "https".equals(coordinator.getScheme()))
                    || coordinator.getHost() == null) {
                throw new IllegalArgumentException("coordinator '" + coordinator + "' is not an http:// URL");
            }
        }
        if (!coordinators.isEmpty() && grpc == null) {
            throw new IllegalArgumentException(
                    "a cluster replica (a volume with coordinators) needs a gRPC address: the coordinators send it"
                            + " writes over gRPC");
        }
        if (maxBlobSize < 1 || maxBlobSize > StoreOptions.MAX_VALUE_SIZE_LIMIT) {
            throw new IllegalArgumentException("max blob size must be from 1 to " + StoreOptions.MAX_VALUE_SIZE_LIMIT
                    + " bytes, got " + maxBlobSize);
        }
        if (maxConcurrentUploads < 1) {
            throw new IllegalArgumentException(
                    "max concurrent uploads must be at least 1, got " + maxConcurrentUploads);
        }
        if (shutdownGracePeriod.isNegative()) {
            throw new IllegalArgumentException("shutdown grace period must not be negative");
        }
        if (!bodyIdleTimeout.isPositive()) {
            throw new IllegalArgumentException("the body idle timeout must be positive");
        }
        Objects.requireNonNull(requestLimits, "requestLimits");
        Objects.requireNonNull(storeOptions, "storeOptions");
    }

    /** A standalone volume with the default limits and store options, and no gRPC address. */
    public static VolumeConfig standalone(String id, HostPort http, Path dataDir) {
        return new VolumeConfig(
                id,
                http,
                null,
                dataDir,
                List.of(),
                DEFAULT_MAX_BLOB_SIZE,
                DEFAULT_MAX_CONCURRENT_UPLOADS,
                DEFAULT_SHUTDOWN_GRACE_PERIOD,
                BodyIdleTimeout.DEFAULT,
                RequestLimits.DEFAULT,
                StoreOptions.defaults());
    }

    /** Whether this volume is a replica in a cluster (its public HTTP is read-only). */
    public boolean replica() {
        return !coordinators.isEmpty();
    }

    public VolumeConfig withGrpc(HostPort address) {
        return with(c -> c.grpc = address);
    }

    public VolumeConfig withCoordinators(List<URI> urls) {
        return with(c -> c.coordinators = urls);
    }

    public VolumeConfig withMaxBlobSize(long bytes) {
        return with(c -> c.maxBlobSize = bytes);
    }

    public VolumeConfig withMaxConcurrentUploads(int uploads) {
        return with(c -> c.maxConcurrentUploads = uploads);
    }

    public VolumeConfig withShutdownGracePeriod(Duration period) {
        return with(c -> c.shutdownGracePeriod = period);
    }

    public VolumeConfig withBodyIdleTimeout(Duration timeout) {
        return with(c -> c.bodyIdleTimeout = timeout);
    }

    public VolumeConfig withRequestLimits(RequestLimits limits) {
        return with(c -> c.requestLimits = limits);
    }

    public VolumeConfig withStoreOptions(StoreOptions options) {
        return with(c -> c.storeOptions = options);
    }

    /** A copy of this configuration with {@code change} applied, checked as any new one is. */
    private VolumeConfig with(Consumer<Settings> change) {
        Settings settings = new Settings(this);
        change.accept(settings);
        return settings.build();
    }

    /** The settings a {@code with} method may change; the id, address and data directory stay. */
    private static final class Settings {
        private final VolumeConfig from;
        HostPort grpc;
        List<URI> coordinators;
        long maxBlobSize;
        int maxConcurrentUploads;
        Duration shutdownGracePeriod;
        Duration bodyIdleTimeout;
        RequestLimits requestLimits;
        StoreOptions storeOptions;

        Settings(VolumeConfig from) {
            this.from = from;
            grpc = from.grpc;
            coordinators = from.coordinators;
            maxBlobSize = from.maxBlobSize;
            maxConcurrentUploads = from.maxConcurrentUploads;
            shutdownGracePeriod = from.shutdownGracePeriod;
            bodyIdleTimeout = from.bodyIdleTimeout;
            requestLimits = from.requestLimits;
            storeOptions = from.storeOptions;
        }

        VolumeConfig build() {
            return new VolumeConfig(
                    from.id,
                    from.http,
                    grpc,
                    from.dataDir,
                    coordinators,
                    maxBlobSize,
                    maxConcurrentUploads,
                    shutdownGracePeriod,
                    bodyIdleTimeout,
                    requestLimits,
                    storeOptions);
        }
    }
}
