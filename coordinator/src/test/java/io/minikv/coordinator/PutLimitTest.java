package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.v1.ClusterGrpc;
import io.minikv.proto.v1.ClusterStatusRequest;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvPutHeader;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import io.minikv.volume.BodyIdleTimeout;
import io.minikv.volume.HostPort;
import io.minikv.volume.RequestLimits;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator holds at most {@code --max-concurrent-puts} puts at once, over HTTP and gRPC
 * together: a client that opens puts and never ends them is refused beyond the bound instead of
 * filling the heap, and a put that ends gives its slot back. Requests of any kind are bounded too,
 * per protocol ({@code --max-concurrent-requests}). One coordinator, in this JVM, with no volume: a
 * held put waits for its value, so it never needs one.
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
        CompletableFuture<Throwable> heldEnded = new CompletableFuture<>();
        // The header takes the only slot; the value never comes. A put sent before it holds the slot
        // could take it first and have the held one refused.
        StreamObserver<KvPutRequest> held = holdPut("held", heldEnded);
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
        try (Socket stalled = stalledHttpPut()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> putsInFlight() == 1);
            stalled.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            // The coordinator closes the connection without an answer: the client sees its end.
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> putsInFlight() == 0);
        assertThat(httpPut("after").body()).doesNotContain("too many concurrent uploads");
    }

    @Test
    void requestsBeyondTheRequestLimitAreRefusedOnEachProtocolUntilTheOpenOneEnds() throws Exception {
        start(1024, new RequestLimits(1, 64), BodyIdleTimeout.DEFAULT);
        ClusterGrpc.ClusterBlockingStub cluster = ClusterGrpc.newBlockingStub(channel);
        AtomicReference<StreamObserver<KvPutRequest>> held = new AtomicReference<>();
        AtomicReference<CompletableFuture<Throwable>> heldEnded =
                new AtomicReference<>(CompletableFuture.completedFuture(null));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // The probe below may take the only place first; the held put then starts again.
            if (heldEnded.get().isDone()) {
                CompletableFuture<Throwable> ended = new CompletableFuture<>();
                held.set(holdPut("held", ended));
                heldEnded.set(ended);
            }
            assertThatThrownBy(() -> cluster.status(ClusterStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription())
                                .isEqualTo("too many calls in progress (the limit is 1); retry later");
                    });
        });
        // HTTP has a bound of its own.
        assertThat(putsInFlight()).isEqualTo(1);
        assertThat(gauge(coordinator, "minikv_grpc_calls_in_flight")).isEqualTo(1);

        AtomicReference<Socket> stalled = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                // As above: the probe may take the only place first, and the stalled put is refused.
                if (stalled.get() == null || stalled.get().getInputStream().available() > 0) {
                    if (stalled.get() != null) {
                        stalled.get().close();
                    }
                    stalled.set(stalledHttpPut());
                }
                HttpResponse<String> refused = httpPut("refused");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).isEqualTo("{\"error\":\"Too Many Concurrent Requests\"}");
            });
        } finally {
            if (stalled.get() != null) {
                stalled.get().close();
            }
        }
        held.get()
                .onError(Status.CANCELLED.withDescription("the client gave up").asRuntimeException());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.status(ClusterStatusRequest.getDefaultInstance())
                                .getLeader())
                        .isEqualTo("c0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> putsInFlight() == 0);
    }

    @Test
    void aForwardedHttpPutThatStopsSendingIsClosedAndBothCoordinatorsGiveTheirSlotsBack() throws Exception {
        Duration bodyIdleTimeout = Duration.ofMillis(500);
        HostPort raft0 = new HostPort("127.0.0.1", freePort());
        HostPort raft1 = new HostPort("127.0.0.1", freePort());
        Map<String, HostPort> peers = Map.of("c0", raft0, "c1", raft1);
        coordinator = CoordinatorServer.start(groupMember("c0", raft0, peers, bodyIdleTimeout));
        CoordinatorServer other = CoordinatorServer.start(groupMember("c1", raft1, peers, bodyIdleTimeout));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> coordinator.isLeader() || other.isLeader());
            CoordinatorServer leader = coordinator.isLeader() ? coordinator : other;
            CoordinatorServer follower = leader == coordinator ? other : coordinator;
            // The follower forwards once the leader's address is in the metadata.
            await().atMost(Duration.ofSeconds(60)).until(() -> leaderAddressKnownTo(follower, leader));
            try (Socket stalled = stalledHttpPut(follower)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> putsInFlight(follower) == 1);
                stalled.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
                // The follower gives up on the body and ends the connection; no write was made.
                String answer = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).doesNotStartWith("HTTP/1.1 2");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> putsInFlight(follower) == 0 && putsInFlight(leader) == 0);
            HttpResponse<String> read = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + leader.httpAddress() + "/blobs/stalled"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(404);
        } finally {
            other.close();
        }
    }

    private CoordinatorConfig groupMember(
            String id, HostPort raft, Map<String, HostPort> peers, Duration bodyIdleTimeout) {
        return CoordinatorConfig.of(
                        id, new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), raft, dir.resolve(id), peers)
                .withReplicas(1)
                .withBodyIdleTimeout(bodyIdleTimeout);
    }

    private boolean leaderAddressKnownTo(CoordinatorServer follower, CoordinatorServer leader)
            throws IOException, InterruptedException {
        String status = http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://" + follower.httpAddress() + "/api/v1/cluster/status"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return status.contains("\"http_address\":\"" + leader.httpAddress() + "\"");
    }

    /** An HTTP put that declares two bytes and sends one. */
    private Socket stalledHttpPut() throws IOException {
        return stalledHttpPut(coordinator);
    }

    private static Socket stalledHttpPut(CoordinatorServer to) throws IOException {
        Socket socket = new Socket("127.0.0.1", to.httpAddress().port());
        socket.getOutputStream()
                .write("PUT /blobs/stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nx"
                        .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Starts a put that sends its header and then nothing; {@code ended} completes when the call ends. */
    private StreamObserver<KvPutRequest> holdPut(String key, CompletableFuture<Throwable> ended) {
        StreamObserver<KvPutRequest> put = KVGrpc.newStub(channel).put(new StreamObserver<>() {
            @Override
            public void onNext(KvPutResponse response) {}

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        put.onNext(header(key));
        return put;
    }

    /** The coordinator's {@code minikv_puts_in_flight} gauge. */
    private int putsInFlight() throws IOException, InterruptedException {
        return putsInFlight(coordinator);
    }

    private int putsInFlight(CoordinatorServer of) throws IOException, InterruptedException {
        return gauge(of, "minikv_puts_in_flight");
    }

    private int gauge(CoordinatorServer of, String name) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + of.httpAddress() + "/metrics");
        String metrics = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher gauge = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.]+)$").matcher(metrics);
        assertThat(gauge.find()).as(metrics).isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }

    private void startCoordinatorWithOnePutSlot() throws IOException {
        startCoordinatorWithOnePutSlot(BodyIdleTimeout.DEFAULT);
    }

    private void startCoordinatorWithOnePutSlot(Duration bodyIdleTimeout) throws IOException {
        start(1, RequestLimits.DEFAULT, bodyIdleTimeout);
    }

    private void start(int maxConcurrentPuts, RequestLimits limits, Duration bodyIdleTimeout) throws IOException {
        HostPort raft = new HostPort("127.0.0.1", freePort());
        coordinator = CoordinatorServer.start(groupMember("c0", raft, Map.of("c0", raft), bodyIdleTimeout)
                .withMaxConcurrentPuts(maxConcurrentPuts)
                .withRequestLimits(limits));
        // The held put must reach the write path, which waits for its value; a coordinator without
        // a leader would answer it at once.
        await().atMost(Duration.ofSeconds(60)).until(coordinator::isLeader);
        channel = NettyChannelBuilder.forTarget(coordinator.grpcAddress().toString())
                .usePlaintext()
                .build();
    }

    /** A put of an empty value, waited for: the answer or the call's failure. */
    private KvPutResponse blockingPut(String key) {
        FirstAnswer<KvPutResponse> answers = new FirstAnswer<>();
        CompletableFuture<KvPutResponse> answer = answers.future();
        StreamObserver<KvPutRequest> put = KVGrpc.newStub(channel).put(answers);
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
