package io.minikv.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failures send a call on to the next coordinator, and which must not. */
class FailoverTest {
    @TempDir
    Path dir;

    private VolumeServer volume;
    private URI volumeUrl;
    private ScriptedServer refusing;

    @BeforeEach
    void start() throws IOException {
        volume = VolumeServer.start(VolumeConfig.standalone("v1", HostPort.parse("127.0.0.1:0"), dir));
        volumeUrl = URI.create("http://127.0.0.1:" + volume.httpAddress().port());
        refusing = new ScriptedServer().answering(ScriptedServer.json(503, "{\"error\":\"no leader\"}"));
    }

    @AfterEach
    void stop() {
        refusing.close();
        volume.close();
    }

    private static MinikvClient client(Duration timeout, URI... coordinators) {
        return MinikvClient.builder()
                .coordinators(List.of(coordinators))
                .timeout(timeout)
                .build();
    }

    /** A URL on which nothing listens: the port was just free. */
    private static URI deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private List<String> keysOnTheVolume() {
        try (MinikvClient direct = client(Duration.ofSeconds(10), volumeUrl)) {
            return direct.list("", "", 1000);
        }
    }

    @Test
    void everyCallSkipsACoordinatorThatRefusesConnections() throws IOException {
        try (MinikvClient client = client(Duration.ofSeconds(10), deadUrl(), volumeUrl)) {
            client.put("bytes", "1".getBytes(UTF_8));
            client.put("stream", new ByteArrayInputStream("2".getBytes(UTF_8)), -1, "text/plain", Condition.NONE);
            assertThat(client.getBytes("bytes")).asString(UTF_8).isEqualTo("1");
            assertThat(client.list("", "", 10)).containsExactly("bytes", "stream");
        }
    }

    @Test
    void readsAndDeletesSkipACoordinatorAnswering503() {
        try (MinikvClient direct = client(Duration.ofSeconds(10), volumeUrl)) {
            direct.put("k", "v".getBytes(UTF_8));
        }
        try (MinikvClient client = client(Duration.ofSeconds(10), refusing.url(), volumeUrl)) {
            assertThat(client.getBytes("k")).asString(UTF_8).isEqualTo("v");
            client.delete("k");
        }
        assertThat(refusing.requests())
                .extracting(ScriptedServer.Request::method)
                .containsExactly("GET");
        assertThat(keysOnTheVolume()).isEmpty();
    }

    @Test
    void callsStartFromTheCoordinatorThatAnsweredLast() {
        try (MinikvClient client = client(Duration.ofSeconds(10), refusing.url(), volumeUrl)) {
            client.list("", "", 10);
            client.list("", "", 10);
            client.health();
        }
        assertThat(refusing.requests()).hasSize(1);
    }

    @Test
    void putIsNotRetriedAfter503() {
        try (MinikvClient client = client(Duration.ofSeconds(10), refusing.url(), volumeUrl)) {
            assertThatThrownBy(() -> client.put("bytes", "1".getBytes(UTF_8)))
                    .isInstanceOf(MinikvException.Unavailable.class)
                    .hasMessage("no leader");
            assertThatThrownBy(() -> client.put(
                            "stream", new ByteArrayInputStream("2".getBytes(UTF_8)), 1, "text/plain", Condition.NONE))
                    .isInstanceOf(MinikvException.Unavailable.class);
        }
        assertThat(refusing.requests())
                .extracting(ScriptedServer.Request::method, ScriptedServer.Request::body)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PUT", "1"),
                        org.assertj.core.groups.Tuple.tuple("PUT", "2"));
        assertThat(keysOnTheVolume()).isEmpty();
    }

    @Test
    void streamedPutIsNotRetriedAfterATimeout() {
        refusing.answering(refusing.silent());
        try (MinikvClient client = client(Duration.ofMillis(500), refusing.url(), volumeUrl)) {
            assertThatThrownBy(() -> client.put(
                            "stream",
                            new MinikvClientVolumeTest.RandomBytes(1 << 20, 1),
                            -1,
                            "application/octet-stream",
                            Condition.NONE))
                    .isInstanceOf(MinikvException.Timeout.class)
                    .hasMessageContaining(refusing.url().toString());
        }
        assertThat(refusing.requests())
                .singleElement()
                .extracting(ScriptedServer.Request::bodyLength)
                .isEqualTo(1 << 20);
        assertThat(keysOnTheVolume()).isEmpty();
    }

    @Test
    void getGoesOnAfterATimeout() {
        refusing.answering(refusing.silent());
        try (MinikvClient client = client(Duration.ofMillis(500), refusing.url(), volumeUrl)) {
            assertThatThrownBy(() -> client.get("missing")).isInstanceOf(MinikvException.NotFound.class);
        }
    }

    @Test
    void whenEveryCoordinatorFailsTheErrorNamesEach() throws IOException {
        URI dead = deadUrl();
        try (MinikvClient client = client(Duration.ofSeconds(10), dead, refusing.url())) {
            assertThatThrownBy(() -> client.list("", "", 10))
                    .isInstanceOf(MinikvException.Unavailable.class)
                    .hasMessageStartingWith("no coordinator answered: " + dead + ": cannot connect")
                    .hasMessageEndingWith(refusing.url() + ": no leader");
        }
    }

    @Test
    void writesGoToTheCoordinatorNamedAsTheLeader() throws IOException {
        String created = "{\"key\":\"k\",\"etag\":\"e\",\"size\":1,\"version\":1,\"replicas\":[]}";
        try (ScriptedServer leader = new ScriptedServer()) {
            leader.answering(exchange -> {
                if (exchange.getRequestMethod().equals("DELETE")) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    ScriptedServer.json(201, created).answer(exchange);
                }
            });
            ScriptedServer follower = refusing.answering(exchange -> {
                exchange.getResponseHeaders()
                        .add("X-Minikv-Leader", leader.url().getAuthority());
                ScriptedServer.json(201, created).answer(exchange);
            });
            try (MinikvClient client = client(Duration.ofSeconds(10), follower.url(), leader.url())) {
                client.put("through-the-follower", "1".getBytes(UTF_8));
                client.put("to-the-leader", "2".getBytes(UTF_8));
                client.delete("to-the-leader");
                assertThat(follower.requests())
                        .extracting(ScriptedServer.Request::target)
                        .containsExactly("/blobs/through-the-follower");
                assertThat(leader.requests())
                        .extracting(ScriptedServer.Request::method)
                        .containsExactly("PUT", "DELETE");

                leader.close();
                client.put("after-the-leader-went-away", "3".getBytes(UTF_8));
                assertThat(follower.requests())
                        .extracting(ScriptedServer.Request::target)
                        .containsExactly("/blobs/through-the-follower", "/blobs/after-the-leader-went-away");
            }
        }
    }
}
