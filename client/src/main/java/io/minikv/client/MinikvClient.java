package io.minikv.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.minikv.proto.BlobKeys;
import io.minikv.proto.MinikvException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A client of a minikv cluster: blobs, listing, cluster state and operations, over the
 * coordinators' public HTTP or gRPC API (docs/protocol.md). Thread-safe; close it to release its
 * connections.
 *
 * <p><b>Failover.</b> A call goes to the coordinator that answered last (the first one at the
 * start) and moves to the next one in order only when that is safe:
 *
 * <ul>
 *   <li>{@link #get}, {@link #head}, {@link #list}, {@link #status}, {@link #health},
 *       {@link #verify} and {@link #delete} (which is idempotent) move on after a refused
 *       connection, a 503 / UNAVAILABLE answer or a timeout;
 *   <li>{@link #put}, {@link #addNode}, {@link #removeNode}, {@link #repair}, {@link #rebalance}
 *       and {@link #compact} move on only when the request provably never reached a server (the
 *       connection was refused or could not be made) and, for a put, its value can be sent again:
 *       bytes in memory, or a stream not read at all yet. After a 503, a timeout or a connection
 *       lost mid-request they fail: the write may have happened, and only the caller can tell
 *       whether repeating it is right (a conditional put, for instance).
 * </ul>
 *
 * <p>Puts and deletes start at the coordinator the last answer named as the leader (docs/protocol.md,
 * {@code X-Minikv-Leader}), when it is one of the given ones, so that no follower has to forward
 * them; a 503 or a timeout there makes the client forget that name. Gets, heads and lists do too,
 * unless the client was built with {@link ReadPreference#ANY}: see {@link ReadPreference}.
 *
 * <p>When no coordinator is left the call fails with {@link MinikvException.Unavailable}, naming
 * what each one did.
 *
 * <p><b>Errors</b> are the domain errors of {@link MinikvException} ({@code NotFound},
 * {@code PreconditionFailed}, {@code InvalidArgument}, {@code TooLarge}, {@code Unavailable},
 * {@code Conflict}, {@code Corrupt}, {@code Timeout}), mapped from HTTP statuses and gRPC codes;
 * an answer outside the protocol is an {@link UnexpectedResponseException}. After a
 * {@code Timeout}, a write may have happened.
 *
 * <p><b>Timeout</b> (default 10 s): how long to wait for an answer. Over HTTP a request waits that
 * long for the answer's headers; an upload waits as long as its body keeps moving, then that long
 * for the answer. Over gRPC a unary call has it as its deadline; Put and Get fail when one message
 * waits that long. Reading a blob's data once it started has no overall limit.
 *
 * <p>{@link #verify}, {@link #repair}, {@link #rebalance} and {@link #compact} exist only as HTTP
 * routes: they use the coordinator URLs whatever the protocol.
 */
public final class MinikvClient implements AutoCloseable {
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final HttpClient http;
    private final Failover<? extends Coordinator> data;
    private final Failover<HttpCoordinator> admin;
    private final ReadPreference reads;

    private MinikvClient(
            HttpClient http,
            Failover<? extends Coordinator> data,
            Failover<HttpCoordinator> admin,
            ReadPreference reads) {
        this.http = http;
        this.data = data;
        this.admin = admin;
        this.reads = reads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stores the value read from {@code value}, streamed: it is never held in memory whole, unless
     * its length is given and at most 32 KiB, when it is read whole first (so that a put that could
     * not reach a coordinator is sent to the next). The caller keeps ownership of the stream and
     * closes it.
     *
     * @param length the number of bytes {@code value} holds, or -1 to read it to its end
     * @param contentType the type the blob is served with later
     * @param condition what the key's current state must be, else {@code PreconditionFailed}
     */
    public PutResult put(String key, InputStream value, long length, String contentType, Condition condition) {
        checkKey(key);
        Body body = Body.of(value, length);
        return data.callLeader(Retry.UNSENT, c -> c.put(key, body, contentType, condition));
    }

    /** Stores {@code value} as {@code application/octet-stream}, whatever the key held. */
    public PutResult put(String key, byte[] value) {
        checkKey(key);
        Body body = Body.of(value);
        return data.callLeader(Retry.UNSENT, c -> c.put(key, body, DEFAULT_CONTENT_TYPE, Condition.NONE));
    }

    /**
     * The blob's metadata and a stream of its data; the caller closes the {@link Blob}.
     *
     * @throws MinikvException.NotFound when the key does not exist
     */
    public Blob get(String key) {
        checkKey(key);
        return read(c -> c.get(key));
    }

    /**
     * The whole value in memory: for small values.
     *
     * @throws MinikvException.NotFound when the key does not exist
     * @throws UncheckedIOException when the transfer breaks off
     */
    public byte[] getBytes(String key) {
        try (Blob blob = get(key)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                    (int) Math.max(0, Math.min(blob.metadata().size(), 1 << 20)));
            blob.data().transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The blob's metadata, without its data.
     *
     * @throws MinikvException.NotFound when the key does not exist
     */
    public BlobMetadata head(String key) {
        checkKey(key);
        return read(c -> c.head(key));
    }

    /** Deletes the key. Deleting a key that does not exist is not an error. */
    public void delete(String key) {
        checkKey(key);
        data.callLeader(Retry.IDEMPOTENT, c -> {
            c.delete(key);
            return null;
        });
    }

    /**
     * One page of keys in order: those that start with {@code prefix} (empty: all) and sort after
     * {@code startAfter} (empty: from the first). Pass the last key as {@code startAfter} for the
     * next page.
     *
     * @param limit 1 to 10000
     */
    public List<String> list(String prefix, String startAfter, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(startAfter, "startAfter");
        return read(c -> c.list(prefix, startAfter, limit));
    }

    public ClusterStatus status() {
        return data.call(Retry.IDEMPOTENT, Coordinator::status);
    }

    /** The first coordinator that is serving, as it describes itself; Unavailable when none is. */
    public Health health() {
        return data.call(Retry.IDEMPOTENT, Coordinator::health);
    }

    /** Adds a coordinator to the Raft group; {@code raftAddress} is its Raft {@code host:port}. */
    public List<CoordinatorInfo> addNode(String id, String raftAddress) {
        return data.call(Retry.UNSENT, c -> c.addNode(id, raftAddress));
    }

    public List<CoordinatorInfo> removeNode(String id) {
        return data.call(Retry.UNSENT, c -> c.removeNode(id));
    }

    /**
     * Checks the metadata against the volumes ({@code deep}: re-reads every replica and checks its
     * checksum). The report has {@code ok}, {@code keys}, {@code replicas_checked} and
     * {@code problems}.
     */
    public JsonNode verify(boolean deep) {
        return admin.call(Retry.IDEMPOTENT, c -> c.verify(deep));
    }

    /**
     * Re-replicates under-replicated keys and drops orphans.
     *
     * @param replicas the replica count to restore; null for the cluster's own
     * @param dryRun only report what would be done
     */
    public JsonNode repair(Integer replicas, boolean dryRun) {
        return admin.call(Retry.UNSENT, c -> c.repair(replicas, dryRun));
    }

    /** Moves shards to where placement wants them after volumes joined or left. */
    public JsonNode rebalance() {
        return admin.call(Retry.UNSENT, HttpCoordinator::rebalance);
    }

    /** Compacts the volumes' storage: of one shard, or of everything when {@code shard} is null. */
    public JsonNode compact(Integer shard) {
        return admin.call(Retry.UNSENT, c -> c.compact(shard));
    }

    @Override
    public void close() {
        data.coordinators().forEach(Coordinator::close);
        http.close();
    }

    private <T> T read(Function<Coordinator, T> call) {
        return reads == ReadPreference.LEADER
                ? data.callLeader(Retry.IDEMPOTENT, call)
                : data.call(Retry.IDEMPOTENT, call);
    }

    private static void checkKey(String key) {
        String problem = BlobKeys.problem(key);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(problem);
        }
    }

    /** How to reach the cluster. */
    public static final class Builder {
        private List<URI> coordinators = List.of(URI.create("http://127.0.0.1:5000"));
        private List<String> grpcTargets = List.of();
        private Protocol protocol = Protocol.HTTP;
        private Duration timeout = Duration.ofSeconds(10);
        private ReadPreference reads = ReadPreference.LEADER;

        private Builder() {}

        /** The coordinators' HTTP URLs, {@code http://host:port}, in the order to try them. */
        public Builder coordinators(List<URI> urls) {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one coordinator URL is needed");
            }
            for (URI url : urls) {
                if (!"http".equals(url.getScheme()) || url.getHost() == null) {
                    throw new IllegalArgumentException("'" + url + "' is not an http://host:port URL");
                }
            }
            this.coordinators = List.copyOf(urls);
            return this;
        }

        /**
         * The coordinators' gRPC addresses, {@code host:port}, in the order to try them; needed for
         * {@link Protocol#GRPC}. The URL does not say it: in {@code minikv dev} a coordinator's gRPC
         * port is its HTTP port + 1.
         */
        public Builder grpcTargets(List<String> targets) {
            this.grpcTargets = List.copyOf(targets);
            return this;
        }

        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol);
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** Where gets, heads and lists go first (default {@link ReadPreference#LEADER}). */
        public Builder reads(ReadPreference reads) {
            this.reads = Objects.requireNonNull(reads);
            return this;
        }

        public MinikvClient build() {
            if (protocol == Protocol.GRPC && grpcTargets.isEmpty()) {
                throw new IllegalStateException("the gRPC protocol needs grpcTargets");
            }
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .build();
            LeaderHint leader = new LeaderHint();
            List<HttpCoordinator> httpCoordinators = new ArrayList<>();
            for (URI url : coordinators) {
                httpCoordinators.add(new HttpCoordinator(url, http, timeout, leader));
            }
            Failover<HttpCoordinator> admin = new Failover<>(httpCoordinators, leader);
            if (protocol == Protocol.HTTP) {
                return new MinikvClient(http, admin, admin, reads);
            }
            LeaderHint grpcLeader = new LeaderHint();
            List<GrpcCoordinator> grpcCoordinators = new ArrayList<>();
            for (String target : grpcTargets) {
                grpcCoordinators.add(new GrpcCoordinator(
                        target,
                        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
                                .intercept(grpcLeader.grpcInterceptor())
                                .build(),
                        timeout));
            }
            return new MinikvClient(http, new Failover<>(grpcCoordinators, grpcLeader), admin, reads);
        }
    }
}
