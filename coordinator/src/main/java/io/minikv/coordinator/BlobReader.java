package io.minikv.coordinator;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.minikv.proto.BlobKeys;
import io.minikv.proto.GrpcStatuses;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.ReadRequest;
import io.minikv.proto.v1.ReadResponse;
import io.minikv.proto.v1.VolumeState;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read path (DESIGN.md §3): the key's committed version from a linearizable metadata read,
 * then its bytes from a replica that holds exactly that version, trying the replicas one after the
 * other (live ones first) until one answers.
 */
final class BlobReader {
    private static final Logger LOG = LoggerFactory.getLogger(BlobReader.class);
    /** A read of one value may take this long at most (a large blob to a slow client). */
    private static final long READ_DEADLINE_MINUTES = 30;

    static final int DEFAULT_LIST_LIMIT = 1000;
    static final int MAX_LIST_LIMIT = 10_000;

    private final LinearizableReads reads;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final ValueCache cache;

    BlobReader(LinearizableReads reads, MetadataState state, VolumeClients volumes, ValueCache cache) {
        this.reads = reads;
        this.state = state;
        this.volumes = volumes;
        this.cache = cache;
    }

    /**
     * The key's committed metadata, as of a linearizable read.
     *
     * @throws MinikvException.InvalidArgument when {@code key} is not a valid key
     * @throws MinikvException.NotFound when the key does not exist (or is deleted)
     */
    KeyState lookup(String key) {
        String problem = BlobKeys.problem(key);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(problem);
        }
        return reads.key(key)
                .filter(found -> !found.getDeleted())
                .orElseThrow(() -> new MinikvException.NotFound("Blob not found"));
    }

    /**
     * Keys of one page, as of a linearizable read.
     *
     * @param prefix empty, or a valid key that the keys start with
     * @param startAfter empty, or a valid key that the keys sort after
     * @param limit 1 to {@link #MAX_LIST_LIMIT}
     * @throws MinikvException.InvalidArgument when an argument is out of these bounds
     */
    List<String> list(String prefix, String startAfter, int limit) {
        checkKeyParameter("prefix", prefix);
        checkKeyParameter("start_after", startAfter);
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new MinikvException.InvalidArgument("limit must be from 1 to " + MAX_LIST_LIMIT + ", got " + limit);
        }
        return reads.list(prefix, startAfter, limit).stream()
                .map(KeyState::getKey)
                .toList();
    }

    private static void checkKeyParameter(String name, String value) {
        String problem = value.isEmpty() ? null : BlobKeys.problem(value);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(name + ": " + problem);
        }
    }

    /**
     * The whole value of {@code key}'s committed version, from the cache or else read whole from the
     * first replica that sends all of it (and so verified by its checksum), trying each in turn.
     * Meant for values small enough to hold in memory.
     *
     * @throws MinikvException.Unavailable when no replica can send it
     */
    byte[] readSmall(KeyState key) {
        Optional<byte[]> cached = cache.get(key.getKey(), key.getVersion());
        if (cached.isPresent()) {
            return cached.get();
        }
        IOException last = null;
        for (int attempt = 0; attempt < Math.max(1, key.getReplicasCount()); attempt++) {
            try (InputStream data = open(key, attempt)) {
                byte[] bytes = data.readAllBytes();
                if (bytes.length == key.getSize()) {
                    cache.put(key.getKey(), key.getVersion(), bytes);
                    return bytes;
                }
                last = new IOException("a replica sent " + bytes.length + " of " + key.getSize() + " bytes");
            } catch (IOException e) {
                last = e;
            }
        }
        throw new MinikvException.Unavailable("no replica could send the value: " + last.getMessage());
    }

    /**
     * Opens the bytes of {@code key}'s committed version: the stream of the first replica that
     * starts sending it. The stream fails (IOException) if the replica fails later, for instance
     * when the data fails its checksum there.
     *
     * @throws MinikvException.Unavailable when no replica can send it
     */
    InputStream open(KeyState key) {
        return open(key, 0);
    }

    /** As {@link #open(KeyState)}, passing over the first {@code skip} replicas (they failed a previous try). */
    InputStream open(KeyState key, int skip) {
        List<String> problems = new ArrayList<>();
        List<VolumeState> replicas = replicasInOrder(key);
        List<VolumeState> candidates = replicas.subList(Math.min(skip, replicas.size()), replicas.size());
        List<VolumeState> uncommitted = new ArrayList<>();
        Optional<InputStream> stream = tryEach(key, candidates, problems, uncommitted);
        if (stream.isEmpty() && !uncommitted.isEmpty()) {
            // The write's Commit has not reached these replicas yet (it is sent after the metadata
            // commit, without waiting). The metadata says the version is committed on them: commit it.
            for (VolumeState replica : uncommitted) {
                commit(replica, key);
            }
            stream = tryEach(key, uncommitted, problems, new ArrayList<>());
        }
        if (stream.isPresent()) {
            return stream.get();
        }
        LOG.warn("no replica could send {} version {}: {}", key.getKey(), key.getVersion(), problems);
        throw new MinikvException.Unavailable("no replica could send the value: " + String.join("; ", problems));
    }

    private void commit(VolumeState replica, KeyState key) {
        try {
            volumes.blocking(replica.getGrpcAddress())
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .commit(CommitRequest.newBuilder()
                            .setTransactionId(key.getTransactionId())
                            .setKey(key.getKey())
                            .build());
        } catch (StatusRuntimeException e) {
            LOG.debug("committing {} on {} for a read failed: {}", key.getKey(), replica.getVolumeId(), e.getStatus());
        }
    }

    /**
     * The stream of the first of {@code replicas} that starts sending the version; the replicas that
     * answered NOT_FOUND are added to {@code notFound}.
     */
    private Optional<InputStream> tryEach(
            KeyState key, List<VolumeState> replicas, List<String> problems, List<VolumeState> notFound) {
        for (VolumeState replica : replicas) {
            Context.CancellableContext context = Context.current().withCancellation();
            try {
                Iterator<ReadResponse> responses = context.call(() -> volumes.blocking(replica.getGrpcAddress())
                        .withDeadlineAfter(READ_DEADLINE_MINUTES, TimeUnit.MINUTES)
                        .read(ReadRequest.newBuilder()
                                .setKey(key.getKey())
                                .setVersion(key.getVersion())
                                .build()));
                if (!responses.hasNext() || !responses.next().hasMetadata()) {
                    throw new IOException("the replica sent no metadata");
                }
                return Optional.of(new ReplicaStream(responses, context));
            } catch (Exception e) {
                context.cancel(null);
                problems.add(replica.getVolumeId() + ": " + describe(e));
                if (e instanceof StatusRuntimeException status
                        && status.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                    notFound.add(replica);
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(Exception e) {
        if (e instanceof StatusRuntimeException status) {
            MinikvException domain = GrpcStatuses.fromStatus(status.getStatus());
            return domain == null ? status.getStatus().getCode().name() : domain.getMessage();
        }
        return e.getMessage();
    }

    /** The key's replicas that are registered, live ones first (in the order the metadata lists them). */
    private List<VolumeState> replicasInOrder(KeyState key) {
        List<VolumeState> replicas = new ArrayList<>();
        for (String id : key.getReplicasList()) {
            Optional<VolumeState> volume = state.volume(id);
            volume.ifPresent(replicas::add);
        }
        replicas.sort(Comparator.comparing((VolumeState v) -> !v.getUp()));
        return replicas;
    }

    /** The data chunks of one Read stream as an InputStream; closing it cancels the stream. */
    private static final class ReplicaStream extends InputStream {
        private final Iterator<ReadResponse> responses;
        private final Context.CancellableContext context;
        private com.google.protobuf.ByteString chunk = com.google.protobuf.ByteString.EMPTY;
        private int position;

        ReplicaStream(Iterator<ReadResponse> responses, Context.CancellableContext context) {
            this.responses = responses;
            this.context = context;
        }

        private boolean fill() throws IOException {
            while (position >= chunk.size()) {
                try {
                    if (!responses.hasNext()) {
                        return false;
                    }
                    chunk = responses.next().getChunk();
                    position = 0;
                } catch (StatusRuntimeException e) {
                    throw new IOException("the replica failed while sending: " + e.getStatus(), e);
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk.byteAt(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.size() - position);
            chunk.copyTo(b, position, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }
}
