package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator asks Ratis for a metadata snapshot once the writes since the last one outnumber the
 * keys ({@link SnapshotTrigger}), long before Ratis' own trigger by log entries would fire: batched
 * writes fill few entries. A coordinator and a volume in this JVM, writing 100 keys over and over;
 * a restart then loads the snapshot and serves the last values.
 */
class SnapshotByWritesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 100;
    private static final int WRITERS = 16;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private CoordinatorServer coordinator;
    private VolumeServer volume;
    private CoordinatorConfig config;

    @AfterEach
    void stop() {
        if (volume != null) {
            volume.stop();
        }
        if (coordinator != null) {
            coordinator.close();
        }
        http.close();
    }

    @Test
    void aSnapshotIsTakenAfterAsManyWritesAsKeysAndARestartLoadsIt() throws Exception {
        HostPort raft = new HostPort("127.0.0.1", freePort());
        config = CoordinatorConfig.of(
                        "c0",
                        new HostPort("127.0.0.1", freePort()),
                        new HostPort("127.0.0.1", 0),
                        raft,
                        dir.resolve("c0"),
                        Map.of("c0", raft))
                .withReplicas(1)
                .withSnapshotEvery(1_000_000)
                .withSnapshotMinWrites(10_000);
        coordinator = CoordinatorServer.start(config);
        volume = VolumeServer.start(VolumeConfig.standalone("v0", HostPort.parse("127.0.0.1:0"), dir.resolve("v0"))
                .withGrpc(HostPort.parse("127.0.0.1:0"))
                .withCoordinators(List.of(URI.create("http://" + coordinator.httpAddress()))));
        await().atMost(Duration.ofSeconds(60)).until(() -> health() == 200);
        assertThat(status().get("snapshot_index").asLong()).isLessThanOrEqualTo(0);

        AtomicBoolean writing = new AtomicBoolean(true);
        JsonNode snapshotted;
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.execute(() -> {
                    for (long i = writer; writing.get(); i += WRITERS) {
                        put("k" + (i % KEYS), "v" + i);
                    }
                });
            }
            try {
                snapshotted = await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(this::status, s -> s.get("snapshot_index").asLong() > 0);
            } finally {
                writing.set(false);
            }
        }
        assertThat(snapshotted.get("snapshot_index").asLong())
                .as("Ratis' own trigger fires only every %d entries", config.snapshotEvery())
                .isLessThan(config.snapshotEvery());
        String[] last = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            last[k] = get("k" + k);
        }

        coordinator.close();
        coordinator = CoordinatorServer.start(config);
        await().atMost(Duration.ofSeconds(60)).until(() -> health() == 200);
        assertThat(status().get("snapshot_index").asLong()).isGreaterThan(0);
        for (int k = 0; k < KEYS; k++) {
            assertThat(get("k" + k)).isEqualTo(last[k]);
        }
    }

    /** A put whose failure (a 503 while the cluster is busy) the next round of writes makes up for. */
    private void put(String key, String value) {
        try {
            http.send(
                    HttpRequest.newBuilder(uri("/blobs/" + key))
                            .PUT(HttpRequest.BodyPublishers.ofString(value))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // As a 503: the next round writes the key again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String get(String key) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri("/blobs/" + key)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private int health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(http.send(
                        HttpRequest.newBuilder(uri("/api/v1/cluster/status")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private URI uri(String path) {
        return URI.create("http://" + coordinator.httpAddress() + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
