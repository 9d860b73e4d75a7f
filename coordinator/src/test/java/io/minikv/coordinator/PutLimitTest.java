package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvPutHeader;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import io.minikv.volume.BodyIdleTimeout;
import io.minikv.volume.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator holds at most {@code --max-concurrent-puts} puts at once, over HTTP and gRPC
 * together: a client that opens puts and never ends them is refused beyond the bound instead of
 * filling the heap, and a put that ends gives its slot back. One coordinator, in this JVM, with no
 * volume: the held put waits for its value, so it never needs one.
 */
class PutLimitTest {
    private static final String TOO_MANY = "too many concurrent uploads (the limit is 1)";

    @TempDir
    Path dir;

    private CoordinatorServer coordinator;
    private ManagedChannel channel;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (coordinator != null) {
            coordinator.close();
        }
        http.close();
    }

    @Test
    void putsBeyondTheLimitAreRefusedOverBothProtocolsUntilTheOpenOneEnds() throws Exception {
        startCoordinatorWithOnePutSlot();
        KVGrpc.KVStub kv = KVGrpc.newStub(channel);
        CompletableFuture<Throwable> heldEnded = new CompletableFuture<>();
        StreamObserver<KvPutRequest> held = kv.put(new StreamObserver<>() {
            @Override
            public void onNext(KvPutResponse response) {}

            @Override
            public void onError(Throwable t) {
                heldEnded.complete(t);
            }

            @Override
            public void onCompleted() {
                heldEnded.complete(null);
            }
        });
        // The header takes the only slot; the value never comes. A put sent before it holds the slot
        // could take it first and have the held one refused.
        held.onNext(header("held"));
        await().atMost(Duration.ofSeconds(10)).until(() -> putsInFlight() == 1);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(() -> blockingPut("refused"))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription()).contains(TOO_MANY);
                        }));
        HttpResponse<String> refused = httpPut("refused");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"error\"").contains(TOO_MANY);

        held.onError(Status.CANCELLED.withDescription("the client gave up").asRuntimeException());
        assertThat(heldEnded.get()).isNotNull();
        // With no volume the write itself then fails, but past the slot.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> next = httpPut("after");
            assertThat(next.body()).doesNotContain("too many concurrent uploads");
        });
    }

    @Test
    void anHttpPutThatStopsSendingIsClosedAndGivesItsSlotBack() throws Exception {
        startCoordinatorWithOnePutSlot(Duration.ofMillis(500));
        try (Socket stalled = new Socket("127.0.0.1", coordinator.httpAddress().port())) {
            OutputStream out = stalled.getOutputStream();
            // Two bytes declared, one sent.
            out.write("PUT /blobs/stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nx"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> putsInFlight() == 1);
            stalled.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            // The coordinator closes the connection without an answer: the client sees its end.
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> putsInFlight() == 0);
        assertThat(httpPut("after").body()).doesNotContain("too many concurrent uploads");
    }

    /** The coordinator's {@code minikv_puts_in_flight} gauge. */
    private int putsInFlight() throws IOException, InterruptedException {
        URI uri = URI.create("http://" + coordinator.httpAddress() + "/metrics");
        String metrics = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher gauge = Pattern.compile("(?m)^minikv_puts_in_flight\\{[^}]*} ([0-9.]+)$")
                .matcher(metrics);
        assertThat(gauge.find()).as(metrics).isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }

    private void startCoordinatorWithOnePutSlot() throws IOException {
        startCoordinatorWithOnePutSlot(BodyIdleTimeout.DEFAULT);
    }

    private void startCoordinatorWithOnePutSlot(Duration bodyIdleTimeout) throws IOException {
        HostPort raft = new HostPort("127.0.0.1", freePort());
        coordinator = CoordinatorServer.start(CoordinatorConfig.of(
                        "c0",
                        new HostPort("127.0.0.1", 0),
                        new HostPort("127.0.0.1", 0),
                        raft,
                        dir.resolve("c0"),
                        Map.of("c0", raft))
                .withReplicas(1)
                .withMaxConcurrentPuts(1)
                .withBodyIdleTimeout(bodyIdleTimeout));
        // The held put must reach the write path, which waits for its value; a coordinator without
        // a leader would answer it at once.
        await().atMost(Duration.ofSeconds(60)).until(coordinator::isLeader);
        channel = NettyChannelBuilder.forTarget(coordinator.grpcAddress().toString())
                .usePlaintext()
                .build();
    }

    /** A put of an empty value, waited for: the answer or the call's failure. */
    private KvPutResponse blockingPut(String key) {
        CompletableFuture<KvPutResponse> answer = new CompletableFuture<>();
        StreamObserver<KvPutRequest> put = KVGrpc.newStub(channel).put(new StreamObserver<>() {
            @Override
            public void onNext(KvPutResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        });
        put.onNext(header(key));
        put.onCompleted();
        try {
            return answer.get();
        } catch (Exception e) {
            throw e.getCause() instanceof StatusRuntimeException status ? status : new IllegalStateException(e);
        }
    }

    private HttpResponse<String> httpPut(String key) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + coordinator.httpAddress() + "/blobs/" + key);
        return http.send(
                HttpRequest.newBuilder(uri)
                        .PUT(HttpRequest.BodyPublishers.ofString("value"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KvPutRequest header(String key) {
        return KvPutRequest.newBuilder()
                .setHeader(KvPutHeader.newBuilder().setKey(key))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
