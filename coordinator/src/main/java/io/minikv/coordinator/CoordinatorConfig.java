package io.minikv.coordinator;

import io.minikv.volume.BodyIdleTimeout;
import io.minikv.volume.HostPort;
import io.minikv.volume.RequestLimits;
import io.minikv.volume.VolumeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How a coordinator runs. Start from {@link #of} and change what you need with the {@code with}
 * methods.
 *
 * @param id this coordinator's id in the Raft group
 * @param http the public HTTP address (port 0: any free port)
 * @param grpc the public gRPC address (port 0: any free port)
 * @param raft the Raft address; must be this coordinator's entry in {@code peers}
 * @param dbDir where the Raft log and the metadata snapshots are kept
 * @param peers every coordinator of the initial group, id to Raft address, including this one
 * @param replicas N, the replicas of each key
 * @param writeQuorum W, the replicas that must prepare for a write to commit
 * @param volumeDownAfter a volume without a heartbeat for this long is marked down
 * @param electionTimeout the shortest Raft election timeout (the longest is twice that)
 * @param snapshotEvery a metadata snapshot is taken after this many log entries
 * @param snapshotMinWrites a metadata snapshot is also taken once the writes applied since the last one
 *     outnumber the keys, and this many ({@link SnapshotTrigger})
 * @param maxBlobSize the largest value accepted, in bytes
 * @param shutdownGracePeriod how long a stop waits for requests in flight
 * @param valueCacheBytes memory for small values kept to serve reads without a volume (0: none)
 * @param tombstoneRetention how long a deleted key's tombstone is kept before the metadata forgets it
 * @param maxConcurrentPuts puts in progress at once, over HTTP and gRPC, forwarded ones included; more are
 *     refused (503, UNAVAILABLE), so that clients that open puts and never end them cannot fill the heap
 * @param bodyIdleTimeout how long a read of an HTTP request body may wait for data before the connection
 *     is closed ({@link BodyIdleTimeout})
 * @param requestLimits the requests and connections the public HTTP and gRPC listeners take on at once
 * @param joining this coordinator joins a running group: it starts outside the group and without a
 *     vote, catches up from the leader, and takes part once the leader has added it (add-node)
 */
public record CoordinatorConfig(
        String id,
        HostPort http,
        HostPort grpc,
        HostPort raft,
        Path dbDir,
        Map<String, HostPort> peers,
        int replicas,
        int writeQuorum,
        Duration volumeDownAfter,
        Duration electionTimeout,
        long snapshotEvery,
        long snapshotMinWrites,
        long maxBlobSize,
        Duration shutdownGracePeriod,
        long valueCacheBytes,
        Duration tombstoneRetention,
        int maxConcurrentPuts,
        Duration bodyIdleTimeout,
        RequestLimits requestLimits,
        boolean joining) {

    public static final int DEFAULT_REPLICAS = 3;
    public static final Duration DEFAULT_VOLUME_DOWN_AFTER = Duration.ofSeconds(5);
    /**
     * Followers stand after 300-600 ms without the leader. Ratis' own default is 150-300 ms; twice
     * that leaves room for the pauses of seven JVMs on two busy cores (no spurious election in
     * minutes of saturating load, measured), and a leader SIGKILL costs about 1 s of writes.
     */
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(300);
    /** Below this, a busy machine's pauses (a collection, a descheduled process) would start elections. */
    public static final Duration MIN_ELECTION_TIMEOUT = Duration.ofMillis(100);

    public static final Duration MAX_ELECTION_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_SNAPSHOT_EVERY = 50_000;
    /**
     * etcd's default snapshot count (3.4). A coordinator restarted just before its next snapshot
     * replays up to this many writes: 500,000 took 7.5 s on the benchmark machine (docs/cluster.md).
     * With a floor of 10,000, a coordinator of 10,000 keys serialized a snapshot every 1.4 s under
     * 7,000 writes/s, 30 ms of CPU each on each of the three (docs/benchmarks.md).
     */
    public static final long DEFAULT_SNAPSHOT_MIN_WRITES = 100_000;

    public static final long DEFAULT_VALUE_CACHE_BYTES = 64L << 20;
    /**
     * Long enough for the volumes to have deleted the data and for transactions prepared before the
     * deletion to have been resolved (every 2 s); short enough that deleted keys do not pile up in
     * memory and snapshots.
     */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofMinutes(10);
    /**
     * Four times the benchmark's 256 clients. A gRPC put buffers at most its flow-control window and
     * two messages (about 3 MiB with 1 MiB chunks), an HTTP put less: about 3 GiB at worst in all.
     */
    public static final int DEFAULT_MAX_CONCURRENT_PUTS = 1024;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public CoordinatorConfig {
        checkId(id);
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(dbDir, "dbDir");
        peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
        peers.keySet().forEach(CoordinatorConfig::checkId);
        if (!peers.containsKey(id)) {
            throw new IllegalArgumentException("the peers must include this coordinator (" + id + ")");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
        }
        if (writeQuorum < 1 || writeQuorum > replicas) {
            throw new IllegalArgumentException(
                    "the write quorum must be from 1 to the replicas (" + replicas + "), got " + writeQuorum);
        }
        if (maxBlobSize < 1) {
            throw new IllegalArgumentException("max blob size must be positive");
        }
        if (valueCacheBytes < 0) {
            throw new IllegalArgumentException("the value cache size must not be negative");
        }
        if (electionTimeout.compareTo(MIN_ELECTION_TIMEOUT) < 0
                || electionTimeout.compareTo(MAX_ELECTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the election timeout must be from " + MIN_ELECTION_TIMEOUT.toMillis()
                    + " ms to " + MAX_ELECTION_TIMEOUT.toSeconds() + " s, got " + electionTimeout.toMillis() + " ms");
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshot interval must be at least one entry");
        }
        if (snapshotMinWrites < 1) {
            throw new IllegalArgumentException("the writes between snapshots must be at least one");
        }
        if (!tombstoneRetention.isPositive()) {
            throw new IllegalArgumentException("the tombstone retention must be positive");
        }
        if (maxConcurrentPuts < 1) {
            throw new IllegalArgumentException("max concurrent puts must be at least 1, got " + maxConcurrentPuts);
        }
        if (!bodyIdleTimeout.isPositive()) {
            throw new IllegalArgumentException("the body idle timeout must be positive");
        }
        Objects.requireNonNull(requestLimits, "requestLimits");
    }

    /** Checks a coordinator id: the same rule as volume ids. */
    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "coordinator id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit;"
                            + " got '" + id + "'");
        }
    }

    /** A coordinator with the default replicas (3, write quorum 2) and timings. */
    public static CoordinatorConfig of(
            String id, HostPort http, HostPort grpc, HostPort raft, Path dbDir, Map<String, HostPort> peers) {
        return new CoordinatorConfig(
                id,
                http,
                grpc,
                raft,
                dbDir,
                peers,
                DEFAULT_REPLICAS,
                WriteDecision.defaultQuorum(DEFAULT_REPLICAS),
                DEFAULT_VOLUME_DOWN_AFTER,
                DEFAULT_ELECTION_TIMEOUT,
                DEFAULT_SNAPSHOT_EVERY,
                DEFAULT_SNAPSHOT_MIN_WRITES,
                VolumeConfig.DEFAULT_MAX_BLOB_SIZE,
                VolumeConfig.DEFAULT_SHUTDOWN_GRACE_PERIOD,
                DEFAULT_VALUE_CACHE_BYTES,
                DEFAULT_TOMBSTONE_RETENTION,
                DEFAULT_MAX_CONCURRENT_PUTS,
                BodyIdleTimeout.DEFAULT,
                RequestLimits.DEFAULT,
                false);
    }

    /** N replicas with the default write quorum, a majority of N. */
    public CoordinatorConfig withReplicas(int n) {
        return with(c -> {
            c.replicas = n;
            c.writeQuorum = WriteDecision.defaultQuorum(n);
        });
    }

    public CoordinatorConfig withVolumeDownAfter(Duration after) {
        return with(c -> c.volumeDownAfter = after);
    }

    public CoordinatorConfig withSnapshotEvery(long entries) {
        return with(c -> c.snapshotEvery = entries);
    }

    public CoordinatorConfig withSnapshotMinWrites(long writes) {
        return with(c -> c.snapshotMinWrites = writes);
    }

    public CoordinatorConfig withShutdownGracePeriod(Duration period) {
        return with(c -> c.shutdownGracePeriod = period);
    }

    public CoordinatorConfig withValueCacheBytes(long bytes) {
        return with(c -> c.valueCacheBytes = bytes);
    }

    public CoordinatorConfig withElectionTimeout(Duration timeout) {
        return with(c -> c.electionTimeout = timeout);
    }

    public CoordinatorConfig withTombstoneRetention(Duration retention) {
        return with(c -> c.tombstoneRetention = retention);
    }

    public CoordinatorConfig withMaxConcurrentPuts(int puts) {
        return with(c -> c.maxConcurrentPuts = puts);
    }

    public CoordinatorConfig withBodyIdleTimeout(Duration timeout) {
        return with(c -> c.bodyIdleTimeout = timeout);
    }

    public CoordinatorConfig withRequestLimits(RequestLimits limits) {
        return with(c -> c.requestLimits = limits);
    }

    public CoordinatorConfig withJoining(boolean joining) {
        return with(c -> c.joining = joining);
    }

    /** A copy of this configuration with {@code change} applied, checked as any new one is. */
    private CoordinatorConfig with(Consumer<Settings> change) {
        Settings settings = new Settings(this);
        change.accept(settings);
        return settings.build();
    }

    /** The settings a {@code with} method may change; the addresses and ids stay. */
    private static final class Settings {
        private final CoordinatorConfig from;
        int replicas;
        int writeQuorum;
        Duration volumeDownAfter;
        Duration electionTimeout;
        long snapshotEvery;
        long snapshotMinWrites;
        Duration shutdownGracePeriod;
        long valueCacheBytes;
        Duration tombstoneRetention;
        int maxConcurrentPuts;
        Duration bodyIdleTimeout;
        RequestLimits requestLimits;
        boolean joining;

        Settings(CoordinatorConfig from) {
            this.from = from;
            replicas = from.replicas;
            writeQuorum = from.writeQuorum;
            volumeDownAfter = from.volumeDownAfter;
            electionTimeout = from.electionTimeout;
            snapshotEvery = from.snapshotEvery;
            snapshotMinWrites = from.snapshotMinWrites;
            shutdownGracePeriod = from.shutdownGracePeriod;
            valueCacheBytes = from.valueCacheBytes;
            tombstoneRetention = from.tombstoneRetention;
            maxConcurrentPuts = from.maxConcurrentPuts;
            bodyIdleTimeout = from.bodyIdleTimeout;
            requestLimits = from.requestLimits;
            joining = from.joining;
        }

        CoordinatorConfig build() {
            return new CoordinatorConfig(
                    from.id,
                    from.http,
                    from.grpc,
                    from.raft,
                    from.dbDir,
                    from.peers,
                    replicas,
                    writeQuorum,
                    volumeDownAfter,
                    electionTimeout,
                    snapshotEvery,
                    snapshotMinWrites,
                    from.maxBlobSize,
                    shutdownGracePeriod,
                    valueCacheBytes,
                    tombstoneRetention,
                    maxConcurrentPuts,
                    bodyIdleTimeout,
                    requestLimits,
                    joining);
        }
    }
}
