package io.minikv.coordinator;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.CopyBuffers;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.KvDeleteRequest;
import io.minikv.proto.v1.KvDeleteResponse;
import io.minikv.proto.v1.KvGetRequest;
import io.minikv.proto.v1.KvGetResponse;
import io.minikv.proto.v1.KvListRequest;
import io.minikv.proto.v1.KvListResponse;
import io.minikv.proto.v1.KvMetadata;
import io.minikv.proto.v1.KvPutHeader;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import io.minikv.volume.ChunkPipe;
import io.minikv.volume.EntityTags;
import io.minikv.volume.ReadySender;
import io.minikv.volume.UploadSlots;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The public gRPC service {@code minikv.v1.KV} (docs/protocol.md): the blob routes of the HTTP API
 * as calls. Values stream in both directions a chunk at a time under gRPC flow control, never held
 * whole. A follower forwards Put and Delete to the leader; it serves Get and List itself.
 */
final class KvGrpcService extends KVGrpc.KVImplBase implements Closeable {
    /** The largest chunk a client may send; the server sends chunks of {@link #CHUNK_SIZE}. */
    static final int MAX_CHUNK = 1 << 20;

    static final int CHUNK_SIZE = 256 * 1024;

    private final RaftNode raft;
    private final WriteCoordinator writes;
    private final BlobReader reads;
    private final GrpcLeaderForwarder forwarder;
    private final UploadSlots puts;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    /** {@code puts} bounds the puts in progress, with the HTTP ones; more are refused (UNAVAILABLE). */
    KvGrpcService(
            RaftNode raft, WriteCoordinator writes, BlobReader reads, GrpcLeaderForwarder forwarder, UploadSlots puts) {
        this.raft = raft;
        this.writes = writes;
        this.reads = reads;
        this.forwarder = forwarder;
        this.puts = puts;
    }

    /**
     * The header comes first; then the chunks pass through a {@link ChunkPipe} to a worker thread,
     * which asks for the next chunk only once it took the last one. The call holds a put slot from
     * its header until it is answered; a client that stops sending is given up on after {@link
     * ChunkPipe#IDLE_TIMEOUT}.
     */
    @Override
    public StreamObserver<KvPutRequest> put(StreamObserver<KvPutResponse> responses) {
        ServerCallStreamObserver<KvPutResponse> call = (ServerCallStreamObserver<KvPutResponse>) responses;
        call.disableAutoRequest();
        call.request(1);
        boolean forwarded = GrpcLeaderForwarder.forwarded();
        return new StreamObserver<>() {
            private ChunkPipe pipe;
            private boolean refused;

            @Override
            public void onNext(KvPutRequest request) {
                if (refused) {
                    return;
                }
                if (pipe == null) {
                    if (!request.hasHeader()) {
                        refuse("the first message must be the header");
                        return;
                    }
                    UploadSlots.Slot slot;
                    try {
                        slot = puts.take();
                    } catch (MinikvException.Unavailable e) {
                        refused = true;
                        responses.onError(GrpcCalls.status(e, "put"));
                        return;
                    }
                    pipe = new ChunkPipe(() -> call.request(1));
                    KvPutHeader header = request.getHeader();
                    workers.execute(() -> {
                        try (slot) {
                            GrpcCalls.answer(responses, "put " + header.getKey(), () -> put(header, pipe, forwarded));
                        }
                    });
                    call.request(1);
                } else if (request.hasChunk()) {
                    pipe.chunk(request.getChunk());
                } else {
                    pipe.fail(new MinikvException.InvalidArgument("only the first message may be a header"));
                }
            }

            @Override
            public void onError(Throwable t) {
                if (pipe != null) {
                    pipe.fail(t);
                }
            }

            @Override
            public void onCompleted() {
                if (pipe != null) {
                    pipe.end();
                } else if (!refused) {
                    refuse("no header was sent");
                }
            }

            private void refuse(String why) {
                refused = true;
                responses.onError(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
            }
        };
    }

    private KvPutResponse put(KvPutHeader header, InputStream value, boolean forwarded) throws IOException {
        if (!raft.isLeaderReady()) {
            return forwarder.put(header, value, CHUNK_SIZE, forwarded);
        }
        WriteCoordinator.Written written = writes.put(
                header.getKey(),
                value,
                -1,
                header.getContentType(),
                EntityTags.writePrecondition(
                        header.getIfMatch().isEmpty() ? null : header.getIfMatch(), header.getIfAbsent() ? "*" : null));
        return KvPutResponse.newBuilder()
                .setKey(written.key())
                .setVersion(written.version())
                .setSize(written.size())
                .setEtag(written.etag())
                .addAllReplicas(written.replicas())
                .build();
    }

    /** Runs on a worker: each message waits for the client to be ready for it (a slow reader holds back the replica). */
    @Override
    public void get(KvGetRequest request, StreamObserver<KvGetResponse> responses) {
        ReadySender<KvGetResponse> sender = new ReadySender<>((ServerCallStreamObserver<KvGetResponse>) responses);
        workers.execute(() -> {
            try {
                send(request.getKey(), sender);
                responses.onCompleted();
            } catch (Exception e) {
                responses.onError(GrpcCalls.status(e, "get " + request.getKey()));
            }
        });
    }

    /** The metadata, then the data; the replica is opened first, so that failing to open it sends no message. */
    private void send(String key, ReadySender<KvGetResponse> sender) throws InterruptedException {
        KeyState meta = reads.lookup(key);
        try (InputStream data = meta.getSize() <= ValueCache.MAX_ENTRY_BYTES
                ? new ByteArrayInputStream(reads.readSmall(meta))
                : reads.open(meta)) {
            if (!sender.send(
                    KvGetResponse.newBuilder().setMetadata(metadata(meta)).build())) {
                return;
            }
            byte[] buffer = CopyBuffers.forValue(meta.getSize(), CHUNK_SIZE);
            long sent = 0;
            for (int n; (n = data.readNBytes(buffer, 0, buffer.length)) > 0; sent += n) {
                if (!sender.send(KvGetResponse.newBuilder()
                        .setChunk(ByteString.copyFrom(buffer, 0, n))
                        .build())) {
                    return;
                }
            }
            if (sent != meta.getSize()) {
                throw new MinikvException.Unavailable(
                        "the replica sent " + sent + " of " + meta.getSize() + " bytes; read again");
            }
        } catch (IOException e) {
            throw new MinikvException.Unavailable("reading the value from its replica failed: " + e.getMessage());
        }
    }

    private static KvMetadata metadata(KeyState meta) {
        return KvMetadata.newBuilder()
                .setKey(meta.getKey())
                .setVersion(meta.getVersion())
                .setSize(meta.getSize())
                .setEtag(meta.getEtag())
                .setContentType(
                        meta.getContentType().isEmpty() ? WriteCoordinator.DEFAULT_CONTENT_TYPE : meta.getContentType())
                .setCreatedAtMillis(meta.getCreatedAtMillis())
                .build();
    }

    @Override
    public void delete(KvDeleteRequest request, StreamObserver<KvDeleteResponse> responses) {
        boolean forwarded = GrpcLeaderForwarder.forwarded();
        GrpcCalls.unary(
                responses,
                "delete " + request.getKey(),
                () -> raft.isLeaderReady()
                        ? KvDeleteResponse.newBuilder()
                                .setDeleted(writes.delete(request.getKey()))
                                .build()
                        : forwarder.delete(request, forwarded));
    }

    @Override
    public void list(KvListRequest request, StreamObserver<KvListResponse> responses) {
        GrpcCalls.unary(
                responses,
                "list",
                () -> KvListResponse.newBuilder()
                        .addAllKeys(reads.list(
                                request.getPrefix(),
                                request.getStartAfter(),
                                request.getLimit() == 0 ? BlobReader.DEFAULT_LIST_LIMIT : request.getLimit()))
                        .build());
    }

    @Override
    public void close() {
        workers.shutdown();
    }
}
