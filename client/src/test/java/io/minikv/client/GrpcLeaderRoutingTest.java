package io.minikv.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvGetRequest;
import io.minikv.proto.v1.KvGetResponse;
import io.minikv.proto.v1.KvMetadata;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Over gRPC, writes follow the {@code x-minikv-leader} header as they follow X-Minikv-Leader over
 * HTTP, and so do reads unless the client spreads them ({@link ReadPreference#ANY}).
 */
class GrpcLeaderRoutingTest {
    private static final Metadata.Key<String> LEADER =
            Metadata.Key.of(LeaderHint.GRPC_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final List<Server> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Server::shutdownNow);
    }

    /**
     * A KV service that answers every Put and Get (a one-byte value) and records their keys; its answers
     * name {@code leader} when given.
     */
    private String start(List<String> keys, String leader) throws IOException {
        KVGrpc.KVImplBase kv = new KVGrpc.KVImplBase() {
            @Override
            public StreamObserver<KvPutRequest> put(StreamObserver<KvPutResponse> answer) {
                return new StreamObserver<>() {
                    private String key;

                    @Override
                    public void onNext(KvPutRequest request) {
                        if (request.hasHeader()) {
                            key = request.getHeader().getKey();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        keys.add(key);
                        answer.onNext(KvPutResponse.newBuilder()
                                .setKey(key)
                                .setVersion(1)
                                .build());
                        answer.onCompleted();
                    }
                };
            }

            @Override
            public void get(KvGetRequest request, StreamObserver<KvGetResponse> answer) {
                keys.add(request.getKey());
                answer.onNext(KvGetResponse.newBuilder()
                        .setMetadata(KvMetadata.newBuilder()
                                .setKey(request.getKey())
                                .setVersion(1)
                                .setSize(1))
                        .build());
                answer.onNext(KvGetResponse.newBuilder()
                        .setChunk(ByteString.copyFromUtf8("x"))
                        .build());
                answer.onCompleted();
            }
        };
        ServerInterceptor naming = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return next.startCall(
                        new SimpleForwardingServerCall<>(call) {
                            @Override
                            public void sendHeaders(Metadata answer) {
                                if (leader != null) {
                                    answer.put(LEADER, leader);
                                }
                                super.sendHeaders(answer);
                            }
                        },
                        headers);
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(kv, naming))
                .build()
                .start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }

    @Test
    void putsGoToTheCoordinatorNamedAsTheLeader() throws IOException {
        List<String> onTheLeader = new CopyOnWriteArrayList<>();
        List<String> onTheFollower = new CopyOnWriteArrayList<>();
        String leader = start(onTheLeader, null);
        String follower = start(onTheFollower, leader);
        try (MinikvClient client = grpcClient(List.of(follower, leader), ReadPreference.LEADER)) {
            client.put("first", "1".getBytes(UTF_8));
            client.put("second", "2".getBytes(UTF_8));
            client.put("third", "3".getBytes(UTF_8));
        }
        assertThat(onTheFollower).containsExactly("first");
        assertThat(onTheLeader).containsExactly("second", "third");
    }

    @Test
    void getsGoToTheLeaderByDefaultAndStayWhereTheyAreWhenSpread() throws IOException {
        List<String> onTheLeader = new CopyOnWriteArrayList<>();
        List<String> onTheFollower = new CopyOnWriteArrayList<>();
        String leader = start(onTheLeader, null);
        String follower = start(onTheFollower, leader);
        getEach(List.of(follower, leader), ReadPreference.LEADER);
        assertThat(onTheFollower).containsExactly("first");
        assertThat(onTheLeader).containsExactly("second", "third");

        onTheFollower.clear();
        onTheLeader.clear();
        getEach(List.of(follower, leader), ReadPreference.ANY);
        assertThat(onTheFollower).containsExactly("first", "second", "third");
        assertThat(onTheLeader).isEmpty();
    }

    /** Gets "first", "second" and "third", in that order, with one client. */
    private static void getEach(List<String> targets, ReadPreference reads) {
        try (MinikvClient client = grpcClient(targets, reads)) {
            for (String key : List.of("first", "second", "third")) {
                assertThat(client.getBytes(key)).isEqualTo("x".getBytes(UTF_8));
            }
        }
    }

    private static MinikvClient grpcClient(List<String> targets, ReadPreference reads) {
        return MinikvClient.builder()
                .coordinators(List.of(URI.create("http://127.0.0.1:1")))
                .grpcTargets(targets)
                .protocol(Protocol.GRPC)
                .reads(reads)
                .build();
    }
}
