package io.minikv.volume;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.CopyBuffers;
import io.minikv.proto.GrpcStatuses;
import io.minikv.proto.MinikvException;
import io.minikv.proto.Shards;
import io.minikv.proto.v1.AbortRequest;
import io.minikv.proto.v1.AbortResponse;
import io.minikv.proto.v1.BatchItemResult;
import io.minikv.proto.v1.BlobMetadata;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.CommitResponse;
import io.minikv.proto.v1.CompactRequest;
import io.minikv.proto.v1.CompactResponse;
import io.minikv.proto.v1.DeleteRequest;
import io.minikv.proto.v1.DeleteResponse;
import io.minikv.proto.v1.KeyInfo;
import io.minikv.proto.v1.ListKeysRequest;
import io.minikv.proto.v1.ListPreparedRequest;
import io.minikv.proto.v1.PrepareBatchRequest;
import io.minikv.proto.v1.PrepareBatchResponse;
import io.minikv.proto.v1.PrepareRequest;
import io.minikv.proto.v1.PrepareResponse;
import io.minikv.proto.v1.PrepareTrailer;
import io.minikv.proto.v1.PullRequest;
import io.minikv.proto.v1.PullResponse;
import io.minikv.proto.v1.ReadRequest;
import io.minikv.proto.v1.ReadResponse;
import io.minikv.proto.v1.StatsRequest;
import io.minikv.proto.v1.StatsResponse;
import io.minikv.proto.v1.VolumeGrpc;
import io.minikv.storage.CompactionResult;
import io.minikv.storage.StoreStats;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal gRPC service through which coordinators use a volume as a replica
 * (docs/protocol.md). It translates messages to {@link BlobStore} calls and domain errors to gRPC
 * statuses; blocking work runs on virtual threads, and large data flows in both directions under
 * gRPC flow control, a chunk or two at a time.
 */
public final class VolumeGrpcService extends VolumeGrpc.VolumeImplBase implements Closeable {
    static final int CHUNK_SIZE = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(VolumeGrpcService.class);

    private final BlobStore blobs;
    private final String volumeId;
    private final UploadSlots uploads;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, ManagedChannel> peers = new ConcurrentHashMap<>();

    /** {@code uploads} bounds prepares and pulls in flight, with the HTTP uploads; more are refused (UNAVAILABLE). */
    VolumeGrpcService(BlobStore blobs, String volumeId, UploadSlots uploads) {
        this.blobs = blobs;
        this.volumeId = volumeId;
        this.uploads = uploads;
    }

    @Override
    public StreamObserver<PrepareRequest> prepare(StreamObserver<PrepareResponse> responses) {
        ServerCallStreamObserver<PrepareResponse> call = (ServerCallStreamObserver<PrepareResponse>) responses;
        call.disableAutoRequest();
        call.request(1);
        return new StreamObserver<>() {
            private ChunkPipe pipe;
            private final CompletableFuture<PrepareTrailer> trailer = new CompletableFuture<>();
            private boolean refused;

            @Override
            public void onNext(PrepareRequest request) {
                if (refused) {
                    return;
                }
                if (pipe == null) {
                    if (!request.hasHeader()) {
                        refuse(Status.INVALID_ARGUMENT.withDescription("the first message must be the header"));
                        return;
                    }
                    UploadSlots.Slot slot;
                    try {
                        slot = uploads.take();
                    } catch (MinikvException.Unavailable e) {
                        refuse(Status.UNAVAILABLE.withDescription(e.getMessage()));
                        return;
                    }
                    pipe = new ChunkPipe(() -> call.request(1));
                    long transactionId = request.getHeader().getTransactionId();
                    BlobInfo declared = declared(request.getHeader().getMetadata());
                    workers.execute(() -> {
                        try (slot) {
                            runPrepare(transactionId, declared, pipe, trailer, responses);
                        }
                    });
                    call.request(1);
                } else if (request.hasChunk()) {
                    pipe.chunk(request.getChunk());
                } else if (request.hasTrailer() && !trailer.isDone()) {
                    trailer.complete(request.getTrailer());
                    pipe.end();
                } else {
                    pipe.fail(new MinikvException.InvalidArgument("unexpected message after the trailer"));
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
                    if (trailer.isDone()) {
                        return;
                    }
                    pipe.fail(new MinikvException.InvalidArgument("the upload ended without a trailer"));
                } else if (!refused) {
                    refuse(Status.INVALID_ARGUMENT.withDescription("no header was sent"));
                }
            }

            private void refuse(Status status) {
                refused = true;
                responses.onError(status.asRuntimeException());
            }
        };
    }

    private void runPrepare(
            long transactionId,
            BlobInfo declared,
            ChunkPipe pipe,
            CompletableFuture<PrepareTrailer> trailer,
            StreamObserver<PrepareResponse> out) {
        try {
            BlobInfo stored = blobs.prepare(transactionId, declared, pipe);
            PrepareTrailer sent = trailer.getNow(null);
            if (sent == null
                    || sent.getSize() != stored.size()
                    || !sent.getEtag().equals(stored.etag())) {
                blobs.abort(transactionId);
                throw new MinikvException.InvalidArgument("data does not match the trailer: received %d bytes, MD5 %s"
                        .formatted(stored.size(), stored.etag()));
            }
            out.onNext(
                    PrepareResponse.newBuilder().setTransactionId(transactionId).build());
            out.onCompleted();
        } catch (Exception e) {
            out.onError(status(e, "prepare " + transactionId));
        }
    }

    @Override
    public void commit(CommitRequest request, StreamObserver<CommitResponse> responses) {
        unary(
                responses,
                "commit " + request.getTransactionId(),
                () -> CommitResponse.newBuilder()
                        .setApplied(blobs.commit(request.getTransactionId(), request.getKey()))
                        .build());
    }

    @Override
    public void prepareBatch(PrepareBatchRequest request, StreamObserver<PrepareBatchResponse> responses) {
        unary(responses, "prepare batch", () -> {
            List<SmallValue> values = new ArrayList<>(request.getValuesCount());
            for (io.minikv.proto.v1.SmallValue value : request.getValuesList()) {
                BlobInfo declared = info(value.getHeader().getMetadata());
                values.add(new SmallValue(
                        value.getHeader().getTransactionId(),
                        new BlobInfo(
                                declared.key(),
                                declared.version(),
                                value.getData().size(),
                                value.getEtag(),
                                declared.contentType(),
                                declared.createdAtMillis()),
                        value.getData().toByteArray()));
            }
            List<CommitOrder> commits = request.getCommitsList().stream()
                    .map(commit -> new CommitOrder(commit.getTransactionId(), commit.getKey()))
                    .toList();
            BatchOutcome outcome;
            // Commits alone take no upload slot (try-with-resources skips a null resource).
            try (UploadSlots.Slot slot = values.isEmpty() ? null : uploads.take()) {
                outcome = blobs.prepareAndCommit(values, commits);
            }
            PrepareBatchResponse.Builder answer = PrepareBatchResponse.newBuilder();
            outcome.prepared().forEach(error -> answer.addResults(itemResult(false, error)));
            outcome.committed()
                    .forEach(result -> answer.addCommitResults(itemResult(result.applied(), result.error())));
            return answer.build();
        });
    }

    private static BatchItemResult itemResult(boolean applied, MinikvException error) {
        if (error == null) {
            return BatchItemResult.newBuilder().setOk(true).setApplied(applied).build();
        }
        Status status = GrpcStatuses.toStatus(error).getStatus();
        return BatchItemResult.newBuilder()
                .setCode(status.getCode().value())
                .setError(error.getMessage())
                .build();
    }

    @Override
    public void abort(AbortRequest request, StreamObserver<AbortResponse> responses) {
        unary(responses, "abort " + request.getTransactionId(), () -> {
            blobs.abort(request.getTransactionId());
            return AbortResponse.getDefaultInstance();
        });
    }

    @Override
    public void listPrepared(
            ListPreparedRequest request, StreamObserver<io.minikv.proto.v1.PreparedTransaction> responses) {
        streaming(responses, "list prepared", sender -> {
            for (PreparedTransaction prepared : blobs.preparedTransactions()) {
                if (!sender.send(io.minikv.proto.v1.PreparedTransaction.newBuilder()
                        .setTransactionId(prepared.transactionId())
                        .setMetadata(metadata(prepared.info()))
                        .build())) {
                    return;
                }
            }
        });
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> responses) {
        streaming(responses, "read " + request.getKey(), sender -> {
            try (BlobData blob = blobs.open(request.getKey(), request.getVersion())
                    .orElseThrow(() -> new MinikvException.NotFound(
                            "%s@%d is not on %s".formatted(request.getKey(), request.getVersion(), volumeId)))) {
                if (!sender.send(ReadResponse.newBuilder()
                        .setMetadata(metadata(blob.info()))
                        .build())) {
                    return;
                }
                byte[] buffer = CopyBuffers.forValue(blob.info().size(), CHUNK_SIZE);
                for (int n; (n = blob.data().readNBytes(buffer, 0, buffer.length)) > 0; ) {
                    if (!sender.send(ReadResponse.newBuilder()
                            .setChunk(ByteString.copyFrom(buffer, 0, n))
                            .build())) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> responses) {
        unary(responses, "delete " + request.getKey(), () -> {
            boolean applied = request.getVersion() == 0
                    ? blobs.delete(request.getKey())
                    : blobs.delete(request.getKey(), request.getVersion());
            return DeleteResponse.newBuilder().setApplied(applied).build();
        });
    }

    @Override
    public void listKeys(ListKeysRequest request, StreamObserver<KeyInfo> responses) {
        streaming(responses, "list keys", sender -> {
            int shard = request.getShard();
            if (shard < -1 || shard >= Shards.COUNT) {
                throw new MinikvException.InvalidArgument("shard must be -1 or 0.." + (Shards.COUNT - 1));
            }
            int[] sent = {0};
            int limit = request.getLimit() == 0 ? Integer.MAX_VALUE : request.getLimit();
            boolean[] cancelled = {false};
            blobs.scanPointers("", request.getStartAfter(), 0, true, pointer -> {
                if (cancelled[0] || sent[0] >= limit) {
                    return;
                }
                if (shard == -1 || Shards.of(pointer.info().key()) == shard) {
                    KeyInfo info = KeyInfo.newBuilder()
                            .setMetadata(metadata(pointer.info()))
                            .setDeleted(pointer.kind() == BlobRecord.Kind.DELETED)
                            .build();
                    try {
                        cancelled[0] = !sender.send(info);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        cancelled[0] = true;
                    }
                    sent[0]++;
                }
            });
        });
    }

    @Override
    public void pull(PullRequest request, StreamObserver<PullResponse> responses) {
        unary(responses, "pull " + request.getKey(), () -> {
            try (UploadSlots.Slot slot = uploads.take()) {
                return PullResponse.newBuilder().setApplied(pull(request)).build();
            }
        });
    }

    /** Copies key@version from the source volume into a transaction here, then commits it. */
    private boolean pull(PullRequest request) throws IOException {
        ManagedChannel channel = peers.computeIfAbsent(
                request.getSource(),
                source -> NettyChannelBuilder.forTarget(source).usePlaintext().build());
        Iterator<ReadResponse> stream;
        BlobInfo info;
        try {
            stream = VolumeGrpc.newBlockingStub(channel)
                    .read(ReadRequest.newBuilder()
                            .setKey(request.getKey())
                            .setVersion(request.getVersion())
                            .build());
            ReadResponse first = stream.next();
            if (!first.hasMetadata()) {
                throw new MinikvException.InvalidArgument("source sent data before metadata");
            }
            info = info(first.getMetadata());
        } catch (StatusRuntimeException e) {
            MinikvException domain = GrpcStatuses.fromStatus(e.getStatus());
            throw domain != null ? domain : e;
        }
        long transactionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        blobs.prepare(transactionId, info, new ChunkStream() {
            @Override
            protected ByteString nextChunk() throws IOException {
                try {
                    return stream.hasNext() ? stream.next().getChunk() : null;
                } catch (StatusRuntimeException e) {
                    throw new IOException("reading from " + request.getSource() + " failed: " + e.getStatus(), e);
                }
            }
        });
        return blobs.commit(transactionId, info.key());
    }

    @Override
    public void stats(StatsRequest request, StreamObserver<StatsResponse> responses) {
        unary(responses, "stats", () -> {
            StoreStats stats = blobs.stats();
            return StatsResponse.newBuilder()
                    .setVolumeId(volumeId)
                    .setKeys(stats.keys())
                    .setSegments(stats.segments())
                    .setTotalBytes(stats.totalBytes())
                    .setLiveBytes(stats.liveBytes())
                    .setDeadBytes(stats.deadBytes())
                    .setPrepared(blobs.preparedTransactions().size())
                    .build();
        });
    }

    @Override
    public void compact(CompactRequest request, StreamObserver<CompactResponse> responses) {
        unary(responses, "compact", () -> {
            CompactionResult result = blobs.compact();
            return CompactResponse.newBuilder()
                    .setSegmentsCompacted(result.segmentsCompacted())
                    .setBytesReclaimed(Math.max(0, result.bytesReclaimed()))
                    .build();
        });
    }

    @Override
    public void close() {
        workers.shutdown();
        peers.values().forEach(ManagedChannel::shutdown);
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    @FunctionalInterface
    private interface Stream<T> {
        void run(ReadySender<T> sender) throws Exception;
    }

    /**
     * Runs a unary call on a worker: gRPC calls the handlers on its transport's threads ({@code
     * directExecutor}), which must never block.
     */
    private <T> void unary(StreamObserver<T> responses, String what, Call<T> call) {
        workers.execute(() -> {
            try {
                responses.onNext(call.run());
                responses.onCompleted();
            } catch (Exception e) {
                responses.onError(status(e, what));
            }
        });
    }

    private <T> void streaming(StreamObserver<T> responses, String what, Stream<T> body) {
        ReadySender<T> sender = new ReadySender<>((ServerCallStreamObserver<T>) responses);
        workers.execute(() -> {
            try {
                body.run(sender);
                responses.onCompleted();
            } catch (Exception e) {
                responses.onError(status(e, what));
            }
        });
    }

    /** The one place where this service turns failures into gRPC statuses. */
    private StatusRuntimeException status(Exception e, String what) {
        if (e instanceof MinikvException domain) {
            return GrpcStatuses.toStatus(domain);
        }
        if (e instanceof StatusRuntimeException grpc) {
            return grpc;
        }
        if (e instanceof ChunkPipe.UploadCancelled cancelled) {
            LOG.debug("{} on volume {}: {}", what, volumeId, cancelled.getMessage());
            return Status.CANCELLED.withDescription(cancelled.getMessage()).asRuntimeException();
        }
        LOG.error("{} failed on volume {}", what, volumeId, e);
        return Status.INTERNAL
                .withDescription(what + " failed: " + e.getMessage())
                .asRuntimeException();
    }

    /** A prepare header's metadata: size and etag are not known yet. */
    private static BlobInfo declared(BlobMetadata metadata) {
        BlobInfo info = info(metadata);
        return new BlobInfo(info.key(), info.version(), -1, null, info.contentType(), info.createdAtMillis());
    }

    static BlobInfo info(BlobMetadata metadata) {
        return new BlobInfo(
                metadata.getKey(),
                metadata.getVersion(),
                metadata.getSize(),
                metadata.getEtag().isEmpty() ? null : metadata.getEtag(),
                metadata.getContentType().isEmpty() ? "application/octet-stream" : metadata.getContentType(),
                metadata.getCreatedAtMillis());
    }

    static BlobMetadata metadata(BlobInfo info) {
        return BlobMetadata.newBuilder()
                .setKey(info.key())
                .setVersion(info.version())
                .setSize(info.size())
                .setEtag(info.etag())
                .setContentType(info.contentType())
                .setCreatedAtMillis(info.createdAtMillis())
                .build();
    }
}
