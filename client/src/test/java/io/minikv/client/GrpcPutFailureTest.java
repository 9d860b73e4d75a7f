package io.minikv.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A streamed Put that fails on the client's side after its header went out ends the call on the
 * server too: left open, each such call held a stream and a worker thread on the coordinator until
 * the channel closed, and a client that kept failing filled the coordinator's heap. A small Put is
 * read whole before anything is sent, so a value that fails never opens a call; one that gets no
 * answer ends at its deadline.
 */
class GrpcPutFailureTest {
    /** A declared length that is streamed rather than sent whole. */
    private static final int STREAMED = Body.READ_WHOLE_MAX + 1;

    private final CountDownLatch headerArrived = new CountDownLatch(1);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Server server;
    private MinikvClient client;

    /** A KV service whose Puts never answer: it only notes the header and the call's end. */
    @BeforeEach
    void start() throws IOException {
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
        client = MinikvClient.builder()
                .coordinators(List.of(URI.create("http://127.0.0.1:1")))
                .grpcTargets(List.of("127.0.0.1:" + server.getPort()))
                .protocol(Protocol.GRPC)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void aPutWhoseValueFailsIsCancelledOnTheServer() throws Exception {
        InputStream failing = afterTheHeader(new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("the value's source broke");
            }
        });
        assertCancelledAfterTheHeader(
                () -> client.put("k", failing, STREAMED, "application/octet-stream", Condition.NONE),
                "the value's source broke");
    }

    @Test
    void aPutShorterThanDeclaredIsCancelledOnTheServer() throws Exception {
        InputStream fiveBytes = afterTheHeader(new ByteArrayInputStream("hello".getBytes(UTF_8)));
        assertCancelledAfterTheHeader(
                () -> client.put("k", fiveBytes, STREAMED, "application/octet-stream", Condition.NONE),
                "the value has 5 bytes, not the " + STREAMED + " declared");
    }

    @Test
    void aSmallPutShorterOrLongerThanDeclaredIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client.put(
                        "k", new ByteArrayInputStream("hello".getBytes(UTF_8)), 256, "text/plain", Condition.NONE))
                .isInstanceOf(MinikvException.InvalidArgument.class)
                .hasMessageContaining("the value has 5 bytes, not the 256 declared");
        assertThatThrownBy(() -> client.put(
                        "k", new ByteArrayInputStream("hello".getBytes(UTF_8)), 4, "text/plain", Condition.NONE))
                .isInstanceOf(MinikvException.InvalidArgument.class)
                .hasMessageContaining("the value has more than the 4 bytes declared");
        assertThat(headerArrived.getCount()).as("no call reached the server").isEqualTo(1);
    }

    @Test
    @Timeout(10)
    void aSmallPutWithoutAnAnswerEndsAtItsDeadline() {
        try (MinikvClient impatient = MinikvClient.builder()
                .coordinators(List.of(URI.create("http://127.0.0.1:1")))
                .grpcTargets(List.of("127.0.0.1:" + server.getPort()))
                .protocol(Protocol.GRPC)
                .timeout(Duration.ofMillis(300))
                .build()) {
            assertThatThrownBy(() -> impatient.put("k", "hello".getBytes(UTF_8)))
                    .isInstanceOf(MinikvException.Timeout.class);
        }
        assertThat(headerArrived.getCount()).as("the header went out").isZero();
    }

    /** {@code value}, whose first read waits until the server has the header: the call then exists on both sides. */
    private InputStream afterTheHeader(InputStream value) {
        return new FilterInputStream(value) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    headerArrived.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return len == 0 ? 0 : super.read(b, off, len);
            }
        };
    }

    private void assertCancelledAfterTheHeader(ThrowingCallable put, String failure) throws InterruptedException {
        assertThatThrownBy(put).isInstanceOf(RuntimeException.class).hasMessageContaining(failure);
        assertThat(headerArrived.getCount()).isZero();
        // Checked while the client, and so its channel, is still open: closing the channel would end the call anyway.
        assertThat(cancelled.await(10, TimeUnit.SECONDS))
                .as("the server saw the call end while the channel stayed open")
                .isTrue();
    }
}
