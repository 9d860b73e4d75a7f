package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.minikv.proto.v1.PrepareRequest;
import io.minikv.proto.v1.PrepareResponse;
import io.minikv.proto.v1.StatsRequest;
import io.minikv.proto.v1.VolumeGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume takes on at most {@link RequestLimits} at once: requests beyond the bound are refused at
 * once over HTTP (503 with a JSON error) and gRPC (UNAVAILABLE), connections beyond it wait to be
 * accepted, and each gives its place back when it ends. Real sockets on ephemeral ports.
 */
class RequestLimitsTest {
    @TempDir
    Path dir;

    private VolumeServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.stop();
        }
    }

    private HttpTestClient start(RequestLimits limits) throws IOException {
        server = VolumeServer.start(VolumeConfig.standalone("v1", HostPort.parse("127.0.0.1:0"), dir)
                .withGrpc(HostPort.parse("127.0.0.1:0"))
                .withRequestLimits(limits));
        return new HttpTestClient(server.httpAddress());
    }

    @Test
    void httpRequestsBeyondTheLimitAreRefusedUntilTheOpenOneEnds() throws Exception {
        HttpTestClient client = start(new RequestLimits(1, 64));
        try (HeldUpload held = new HeldUpload(server.httpAddress())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                held.reopenIfRefused();
                HttpResponse<byte[]> refused = client.send(client.request("/health"));
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                        .startsWith("{\"error\":")
                        .contains("Too Many Concurrent Requests");
            });
            // The other protocol has its own bound.
            assertThat(VolumeGrpc.newBlockingStub(channel())
                            .stats(StatsRequest.getDefaultInstance())
                            .getVolumeId())
                    .isEqualTo("v1");
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(client.send(client.request("/health")).statusCode())
                                .isEqualTo(200));
    }

    @Test
    void grpcCallsBeyondTheLimitAreUnavailableUntilTheOpenOneEnds() throws Exception {
        HttpTestClient client = start(new RequestLimits(1, 64));
        VolumeGrpc.VolumeBlockingStub blocking = VolumeGrpc.newBlockingStub(channel());
        HeldCall held = new HeldCall(channel());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            held.restartIfRefused();
            assertThatThrownBy(() -> blocking.stats(StatsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription())
                                .isEqualTo("too many calls in progress (the limit is 1); retry later");
                    });
        });
        assertThat(client.send(client.request("/health")).statusCode()).isEqualTo(200);
        assertThat(grpcCallsInFlight(client)).isEqualTo(1);

        held.cancel();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(blocking.stats(StatsRequest.getDefaultInstance())
                                .getVolumeId())
                        .isEqualTo("v1"));
        // A call that ends gives its place back too.
        for (int i = 0; i < 3; i++) {
            assertThat(blocking.stats(StatsRequest.getDefaultInstance()).getVolumeId())
                    .isEqualTo("v1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> grpcCallsInFlight(client) == 0);
    }

    @Test
    void connectionsBeyondTheLimitWaitToBeAcceptedUntilOneCloses() throws Exception {
        start(new RequestLimits(64, 1));
        int port = server.httpAddress().port();
        Socket first = new Socket("127.0.0.1", port);
        // Until the first connection has been accepted, the second could be accepted in its place.
        await().atMost(Duration.ofSeconds(30)).until(() -> healthOn(first).startsWith("HTTP/1.1 200"));
        try (Socket second = new Socket("127.0.0.1", port)) {
            second.setSoTimeout(1000);
            second.getOutputStream().write(healthRequest());
            // The kernel completed the handshake, but the server does not take the connection.
            assertThatThrownBy(() -> second.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            first.close();
            second.setSoTimeout(30_000);
            assertThat(statusLine(second.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    /** The volume's {@code minikv_grpc_calls_in_flight} gauge. */
    private static int grpcCallsInFlight(HttpTestClient client) {
        String metrics = new String(client.send(client.request("/metrics")).body(), StandardCharsets.UTF_8);
        Matcher gauge = Pattern.compile("(?m)^minikv_grpc_calls_in_flight\\{[^}]*} ([0-9.]+)$")
                .matcher(metrics);
        assertThat(gauge.find()).as(metrics).isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }

    private ManagedChannel channel() {
        if (channel == null) {
            channel = NettyChannelBuilder.forTarget(server.grpcAddress().toString())
                    .usePlaintext()
                    .build();
        }
        return channel;
    }

    private static byte[] healthRequest() {
        return "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends GET /health on a kept-alive connection and reads the status line and headers of the answer. */
    private static String healthOn(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(healthRequest());
        InputStream in = socket.getInputStream();
        String status = statusLine(in);
        int length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String statusLine(InputStream in) throws IOException {
        return readLine(in);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection ended in a line: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** An HTTP upload that declares two bytes and sends one, so that it stays in progress. */
    private static final class HeldUpload implements AutoCloseable {
        private final HostPort address;
        private Socket socket;

        HeldUpload(HostPort address) throws IOException {
            this.address = address;
            open();
        }

        private void open() throws IOException {
            socket = new Socket("127.0.0.1", address.port());
            socket.getOutputStream()
                    .write("PUT /blobs/held HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nx"
                            .getBytes(StandardCharsets.US_ASCII));
        }

        /** A request the test sent at the same moment may have taken the only place first: then it tries again. */
        void reopenIfRefused() throws IOException {
            if (socket.getInputStream().available() > 0) {
                socket.close();
                open();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A streamed Prepare that sends nothing and stays open until cancelled. */
    private static final class HeldCall {
        private final ManagedChannel channel;
        private ClientCallStreamObserver<PrepareRequest> call;
        private CompletableFuture<Throwable> ended;

        HeldCall(ManagedChannel channel) {
            this.channel = channel;
            start();
        }

        private void start() {
            CompletableFuture<Throwable> end = new CompletableFuture<>();
            VolumeGrpc.newStub(channel).prepare(new ClientResponseObserver<PrepareRequest, PrepareResponse>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<PrepareRequest> requests) {
                    call = requests;
                }

                @Override
                public void onNext(PrepareResponse response) {}

                @Override
                public void onError(Throwable t) {
                    end.complete(t);
                }

                @Override
                public void onCompleted() {
                    end.complete(null);
                }
            });
            ended = end;
        }

        /** A call the test made at the same moment may have taken the only place first: then it starts again. */
        void restartIfRefused() {
            if (ended.isDone()) {
                start();
            }
        }

        void cancel() {
            call.cancel("the test is done with it", null);
        }
    }
}
