package io.minikv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Put that fails on the client's side after its header went out ends the call on the server too:
 * left open, each such call held a stream and a worker thread on the coordinator until the channel
 * closed, and a client that kept failing filled the coordinator's heap.
 */
class GrpcPutFailureTest {
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void aPutWhoseValueFailsIsCancelledOnTheServer() throws Exception {
        CountDownLatch headerArrived = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        KVGrpc.KVImplBase kv = new KVGrpc.KVImplBase() {
            @Override
            public StreamObserver<KvPutRequest> put(StreamObserver<KvPutResponse> answer) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(KvPutRequest request) {
                        if (request.hasHeader()) {
                            headerArrived.countDown();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        cancelled.countDown();
                    }

                    @Override
                    public void onCompleted() {}
                };
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(kv)
                .build()
                .start();
        InputStream failing = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("the value's source broke");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    headerArrived.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return read();
            }
        };
        try (MinikvClient client = MinikvClient.builder()
                .coordinators(List.of(URI.create("http://127.0.0.1:1")))
                .grpcTargets(List.of("127.0.0.1:" + server.getPort()))
                .protocol(Protocol.GRPC)
                .build()) {
            assertThatThrownBy(() -> client.put("k", failing, 256, "application/octet-stream", Condition.NONE))
                    .hasMessageContaining("the value's source broke");
            assertThat(headerArrived.getCount()).isZero();
            // Before the client closes: closing its channel would end the call anyway.
            assertThat(cancelled.await(10, TimeUnit.SECONDS))
                    .as("the server saw the call end while the channel stayed open")
                    .isTrue();
        }
    }
}
