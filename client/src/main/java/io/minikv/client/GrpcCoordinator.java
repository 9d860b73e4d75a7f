package io.minikv.client;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import io.minikv.proto.CopyBuffers;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.AddNodeRequest;
import io.minikv.proto.v1.ClusterGrpc;
import io.minikv.proto.v1.ClusterStatusRequest;
import io.minikv.proto.v1.ClusterStatusResponse;
import io.minikv.proto.v1.HealthRequest;
import io.minikv.proto.v1.HealthResponse;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvDeleteRequest;
import io.minikv.proto.v1.KvGetRequest;
import io.minikv.proto.v1.KvGetResponse;
import io.minikv.proto.v1.KvListRequest;
import io.minikv.proto.v1.KvMetadata;
import io.minikv.proto.v1.KvPutHeader;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import io.minikv.proto.v1.MembershipResponse;
import io.minikv.proto.v1.RemoveNodeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A coordinator's public gRPC services, {@code minikv.v1.KV} and {@code minikv.v1.Cluster}. A unary
 * call has the timeout as its deadline. A streamed call (Put, Get) has no deadline as a whole: it
 * fails when one message waits longer than the timeout to be sent or to arrive, so that large
 * values are not cut off while they are still moving. A Put of a small value held in memory is
 * sent whole at once and has the timeout as its deadline ({@link #putWhole}).
 */
final class GrpcCoordinator implements Coordinator {
    /** The protocol allows up to 1 MiB; smaller chunks keep flow control fine-grained. */
    private static final int CHUNK = 256 * 1024;
    /** Values in memory up to this size are sent whole at once ({@link #putWhole}). */
    private static final int WHOLE_PUT_MAX = Body.READ_WHOLE_MAX;

    private final String name;
    private final ManagedChannel channel;
    private final Duration timeout;

    GrpcCoordinator(String name, ManagedChannel channel, Duration timeout) {
        this.name = name;
        this.channel = channel;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String address() {
        return name;
    }

    @Override
    public PutResult put(String key, Body body, String contentType, Condition condition) {
        KvPutHeader.Builder header = KvPutHeader.newBuilder().setKey(key).setContentType(contentType);
        switch (condition) {
            case Condition.None ignored -> {}
            case Condition.IfAbsent ignored -> header.setIfAbsent(true);
            case Condition.IfMatch(String etag) -> header.setIfMatch(etag);
        }
        if (body.bytes() != null && body.length() <= WHOLE_PUT_MAX) {
            return putWhole(header.build(), body.bytes());
        }
        BlockingClientCall<KvPutRequest, KvPutResponse> call = kv().put();
        try {
            boolean open =
                    write(call, KvPutRequest.newBuilder().setHeader(header).build());
            long sent = 0;
            try (InputStream in = body.open()) {
                byte[] buffer = CopyBuffers.forValue(body.length(), CHUNK);
                for (int n; open && (n = in.readNBytes(buffer, 0, buffer.length)) > 0; sent += n) {
                    open = write(
                            call,
                            KvPutRequest.newBuilder()
                                    .setChunk(ByteString.copyFrom(buffer, 0, n))
                                    .build());
                }
            }
            if (open && body.length() >= 0 && sent != body.length()) {
                throw new MinikvException.InvalidArgument(
                        "the value has " + sent + " bytes, not the " + body.length() + " declared");
            }
            if (open) {
                call.halfClose();
            }
            KvPutResponse response = call.read(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (response == null) {
                throw new UnexpectedResponseException(name + " ended the Put without an answer");
            }
            return putResult(response);
        } catch (StatusException e) {
            throw GrpcFailures.of(name, e, body.replayable());
        } catch (TimeoutException e) {
            call.cancel("timed out", e);
            throw timeout();
        } catch (IOException e) {
            call.cancel("the value could not be read", e);
            throw new MinikvException.InvalidArgument("cannot read the value: " + e.getMessage());
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            throw interrupted();
        } catch (RuntimeException e) {
            // Any failure here, a length that does not match included, ends the call: left open, it
            // would hold a stream and a worker on the coordinator until the channel closes.
            call.cancel("the put failed: " + e.getMessage(), e);
            throw e;
        }
    }

    /**
     * A Put whose header, value and end go out together, without waiting for the stream to be ready
     * first, and whose answer is taken on the transport's thread: the blocking stub's put waits for
     * readiness before the header and again for the answer, and on a machine where waking a thread
     * costs a fraction of a millisecond those hand-offs were a visible part of a small put's time
     * (docs/benchmarks.md, session 26).
     */
    private PutResult putWhole(KvPutHeader header, byte[] value) {
        CompletableFuture<KvPutResponse> answer = new CompletableFuture<>();
        ClientCall<KvPutRequest, KvPutResponse> call = channel.newCall(
                KVGrpc.getPutMethod(),
                CallOptions.DEFAULT
                        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                        .withExecutor(Runnable::run));
        call.start(
                new ClientCall.Listener<>() {
                    private KvPutResponse response;

                    @Override
                    public void onMessage(KvPutResponse message) {
                        response = message;
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (status.isOk()) {
                            answer.complete(response);
                        } else {
                            answer.completeExceptionally(status.asException(trailers));
                        }
                    }
                },
                new Metadata());
        call.request(1);
        call.sendMessage(KvPutRequest.newBuilder().setHeader(header).build());
        if (value.length > 0) {
            call.sendMessage(KvPutRequest.newBuilder()
                    .setChunk(ByteString.copyFrom(value))
                    .build());
        }
        call.halfClose();
        KvPutResponse response;
        try {
            response = answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusException failure) {
                throw GrpcFailures.of(name, failure, true);
            }
            throw new UnexpectedResponseException(name + " failed the Put: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            throw interrupted();
        }
        if (response == null) {
            throw new UnexpectedResponseException(name + " ended the Put without an answer");
        }
        return putResult(response);
    }

    @Override
    public Blob get(String key) {
        BlockingClientCall<?, KvGetResponse> call =
                kv().get(KvGetRequest.newBuilder().setKey(key).build());
        try {
            KvGetResponse first = call.read(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (first == null || !first.hasMetadata()) {
                call.cancel("no metadata", null);
                throw new UnexpectedResponseException(name + " did not start the Get with the metadata");
            }
            KvMetadata m = first.getMetadata();
            BlobMetadata metadata =
                    new BlobMetadata(m.getKey(), m.getVersion(), m.getSize(), m.getEtag(), m.getContentType());
            return new Blob(metadata, new GrpcChunkStream(name, call, metadata.size(), timeout));
        } catch (StatusException e) {
            throw GrpcFailures.of(name, e, true);
        } catch (TimeoutException e) {
            call.cancel("timed out", e);
            throw timeout();
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            throw interrupted();
        }
    }

    /** KV has no Head: a Get that stops after the metadata. */
    @Override
    public BlobMetadata head(String key) {
        Blob blob = get(key);
        ((GrpcChunkStream) blob.data()).close();
        return blob.metadata();
    }

    @Override
    public void delete(String key) {
        unary(() -> kvUnary().delete(KvDeleteRequest.newBuilder().setKey(key).build()));
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        return unary(() -> kvUnary()
                        .list(KvListRequest.newBuilder()
                                .setPrefix(prefix)
                                .setStartAfter(startAfter)
                                .setLimit(limit)
                                .build()))
                .getKeysList();
    }

    @Override
    public ClusterStatus status() {
        ClusterStatusResponse r = unary(() -> cluster().status(ClusterStatusRequest.getDefaultInstance()));
        return new ClusterStatus(
                r.getNodeId(),
                r.getLeader(),
                r.getTerm(),
                r.getCommitIndex(),
                r.getAppliedIndex(),
                coordinators(r.getCoordinatorsList()),
                r.getVolumesList().stream()
                        .map(v -> new VolumeInfo(v.getId(), v.getHttpAddress(), v.getGrpcAddress(), v.getState()))
                        .toList(),
                r.getShards(),
                r.getReplicas(),
                r.getWriteQuorum(),
                r.getKeys());
    }

    @Override
    public Health health() {
        HealthResponse r = unary(() -> cluster().health(HealthRequest.getDefaultInstance()));
        if (!r.getStatus().equals("healthy")) {
            throw new MinikvException.Unavailable(r.getStatus() + ": " + r.getReason());
        }
        return new Health(r.getStatus(), r.getRole(), r.getNodeId(), r.getLeader());
    }

    @Override
    public List<CoordinatorInfo> addNode(String id, String raftAddress) {
        MembershipResponse r = unary(() -> cluster()
                .addNode(AddNodeRequest.newBuilder()
                        .setNodeId(id)
                        .setAddress(raftAddress)
                        .build()));
        return coordinators(r.getCoordinatorsList());
    }

    @Override
    public List<CoordinatorInfo> removeNode(String id) {
        MembershipResponse r = unary(() -> cluster()
                .removeNode(RemoveNodeRequest.newBuilder().setNodeId(id).build()));
        return coordinators(r.getCoordinatorsList());
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    /** A unary call: throws what its status means. */
    private interface UnaryCall<T> {
        T run() throws StatusException;
    }

    private <T> T unary(UnaryCall<T> call) {
        try {
            return call.run();
        } catch (StatusException e) {
            throw GrpcFailures.of(name, e, true);
        }
    }

    private KVGrpc.KVBlockingV2Stub kv() {
        return KVGrpc.newBlockingV2Stub(channel);
    }

    private KVGrpc.KVBlockingV2Stub kvUnary() {
        return kv().withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private ClusterGrpc.ClusterBlockingV2Stub cluster() {
        return ClusterGrpc.newBlockingV2Stub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends one message once flow control lets it; false when the call has already ended. */
    private boolean write(BlockingClientCall<KvPutRequest, KvPutResponse> call, KvPutRequest message)
            throws StatusException, InterruptedException, TimeoutException {
        return call.write(message, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static PutResult putResult(KvPutResponse response) {
        return new PutResult(
                response.getKey(),
                response.getEtag(),
                response.getSize(),
                response.getVersion(),
                response.getReplicasList());
    }

    private static List<CoordinatorInfo> coordinators(List<io.minikv.proto.v1.CoordinatorInfo> list) {
        return list.stream()
                .map(c -> new CoordinatorInfo(
                        c.getId(), c.getRaftAddress(), c.getHttpAddress(), c.getGrpcAddress(), c.getRole()))
                .toList();
    }

    private MinikvException.Timeout timeout() {
        return new MinikvException.Timeout(name + " did not answer within " + timeout.toMillis() + " ms");
    }

    private CancellationException interrupted() {
        Thread.currentThread().interrupt();
        return new CancellationException("interrupted while waiting for " + name);
    }
}
