package io.minikv.coordinator;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.BlockingClientCall;
import io.grpc.stub.MetadataUtils;
import io.minikv.proto.GrpcStatuses;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvDeleteRequest;
import io.minikv.proto.v1.KvDeleteResponse;
import io.minikv.proto.v1.KvPutHeader;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends a gRPC write a follower cannot serve (KV.Put, KV.Delete) to the leader's public gRPC
 * address and returns the leader's answer; a Put's value is streamed through under flow control. A
 * forwarded call carries the header {@value #HEADER}, so that it is never forwarded twice (the
 * leader changed meanwhile: UNAVAILABLE, retry).
 */
final class GrpcLeaderForwarder implements Closeable {
    static final String HEADER = "x-minikv-forwarded-by";
    private static final Metadata.Key<String> FORWARDED_BY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> FORWARDED = Context.key(HEADER);
    private static final long DELETE_DEADLINE_SECONDS = 30;

    private final RaftNode raft;
    private final MetadataState state;
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    GrpcLeaderForwarder(RaftNode raft, MetadataState state) {
        this.raft = raft;
        this.state = state;
    }

    /** Makes {@link #forwarded()} true during the calls that carry the header. */
    static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String from = headers.get(FORWARDED_BY);
                return from == null
                        ? next.startCall(call, headers)
                        : Contexts.interceptCall(Context.current().withValue(FORWARDED, from), call, headers, next);
            }
        };
    }

    /** Whether the current call came from another coordinator; ask on the call's own gRPC thread. */
    static boolean forwarded() {
        return FORWARDED.get() != null;
    }

    /**
     * Sends the Put to the leader: the header, then {@code value} in chunks of {@code chunkSize}.
     *
     * @param forwarded whether the call being served was itself forwarded
     * @throws MinikvException.Unavailable when there is no leader to send it to; or when the
     *     connection failed, and then the write may have happened
     * @throws IOException when {@code value} fails (the client's upload broke off); the leader's call
     *     is cancelled
     */
    KvPutResponse put(KvPutHeader header, InputStream value, int chunkSize, boolean forwarded) throws IOException {
        String leader = leader(forwarded);
        BlockingClientCall<KvPutRequest, KvPutResponse> call = stub(leader).put();
        try {
            boolean open =
                    call.write(KvPutRequest.newBuilder().setHeader(header).build());
            byte[] buffer = new byte[chunkSize];
            for (int n; open && (n = value.readNBytes(buffer, 0, chunkSize)) > 0; ) {
                open = call.write(KvPutRequest.newBuilder()
                        .setChunk(ByteString.copyFrom(buffer, 0, n))
                        .build());
            }
            if (open) {
                call.halfClose();
            }
            KvPutResponse response = call.read();
            if (response == null) {
                throw new MinikvException.Unavailable(
                        "the leader " + leader + " ended the Put without an answer; the outcome is unknown");
            }
            return response;
        } catch (StatusException e) {
            throw relayed(leader, e);
        } catch (IOException | RuntimeException e) {
            call.cancel("the client's upload failed", e);
            throw e;
        } catch (InterruptedException e) {
            call.cancel("interrupted", e);
            Thread.currentThread().interrupt();
            throw new MinikvException.Unavailable("interrupted while forwarding to the leader; the outcome is unknown");
        }
    }

    /** Sends the Delete to the leader; the failures are those of {@link #put}. */
    KvDeleteResponse delete(KvDeleteRequest request, boolean forwarded) {
        String leader = leader(forwarded);
        try {
            return stub(leader)
                    .withDeadlineAfter(DELETE_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .delete(request);
        } catch (StatusException e) {
            throw relayed(leader, e);
        }
    }

    /** The leader's id, when a call can go there. */
    private String leader(boolean forwarded) {
        if (forwarded) {
            throw new MinikvException.Unavailable("the leader changed while the call was forwarded; retry");
        }
        String leader = raft.leaderId();
        if (leader == null || leader.equals(raft.id())) {
            throw new MinikvException.Unavailable("no coordinator is the leader now; retry");
        }
        return leader;
    }

    private KVGrpc.KVBlockingV2Stub stub(String leader) {
        String address = state.coordinator(leader)
                .map(CoordinatorState::getGrpcAddress)
                .filter(a -> !a.isEmpty())
                .orElseThrow(() -> new MinikvException.Unavailable(
                        "the leader " + leader + " has not announced its gRPC address yet; retry"));
        Metadata headers = new Metadata();
        headers.put(FORWARDED_BY, raft.id());
        return KVGrpc.newBlockingV2Stub(channels.computeIfAbsent(
                        address,
                        a -> NettyChannelBuilder.forTarget(a).usePlaintext().build()))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * The leader's failure as this coordinator's: domain errors as they are, a broken connection or
     * anything else as an unknown outcome.
     */
    private static RuntimeException relayed(String leader, StatusException e) {
        Status status = e.getStatus();
        MinikvException domain = GrpcStatuses.fromStatus(status);
        if (domain != null && status.getCause() == null) {
            return domain;
        }
        return new MinikvException.Unavailable(
                "forwarding to the leader " + leader + " failed (" + status + "); the outcome is unknown");
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
