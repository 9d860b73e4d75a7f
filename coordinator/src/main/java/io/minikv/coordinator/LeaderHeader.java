package io.minikv.coordinator;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.minikv.proto.v1.CoordinatorState;

/**
 * Names the leader on every answer of a public gRPC service, as {@code X-Minikv-Leader} does over
 * HTTP: the header {@value #HEADER} holds the leader's gRPC address as this coordinator knows it, so
 * that a client can send its writes there and spare a follower the forwarding.
 */
final class LeaderHeader implements ServerInterceptor {
    static final String HEADER = "x-minikv-leader";
    private static final Metadata.Key<String> LEADER = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final RaftNode raft;
    private final MetadataState state;

    LeaderHeader(RaftNode raft, MetadataState state) {
        this.raft = raft;
        this.state = state;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return next.startCall(
                new SimpleForwardingServerCall<>(call) {
                    @Override
                    public void sendHeaders(Metadata answer) {
                        String leader = raft.leaderId();
                        if (leader != null) {
                            state.coordinator(leader)
                                    .map(CoordinatorState::getGrpcAddress)
                                    .filter(address -> !address.isEmpty())
                                    .ifPresent(address -> answer.put(LEADER, address));
                        }
                        super.sendHeaders(answer);
                    }
                },
                headers);
    }
}
