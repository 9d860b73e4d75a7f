package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minikv.checker.BlobInput;
import io.minikv.checker.BlobModel;
import io.minikv.checker.BlobOutput;
import io.minikv.checker.LinearizabilityChecker;
import io.minikv.checker.Operation;
import io.minikv.checker.Verdict;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader is killed with SIGKILL while clients write, read and delete: a new leader takes over,
 * nothing acknowledged is lost, and the recorded history is linearizable. Then the Raft group
 * gains and loses a member.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 6;
    private static final int KEYS = 4;

    @TempDir
    static Path dir;

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = LocalCluster.start(dir, 3, 3, 3);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aHistoryRecordedAcrossALeaderKillIsLinearizableAndLosesNothing() throws Exception {
        List<Operation<BlobInput, BlobOutput>> history = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> lastAcknowledgedPut = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> runClient(client, history, lastAcknowledgedPut, stop)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> completed(history) >= 30);
        int oldLeader = cluster.leader();
        cluster.killCoordinator(oldLeader);
        long killedAt = System.nanoTime();
        int newLeader = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(cluster::leader, l -> l != oldLeader);
        long electedAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
        long beforeRecovery = completed(history);
        await().atMost(Duration.ofSeconds(60)).until(() -> completed(history) >= beforeRecovery + 30);
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }

        long completedPuts = history.stream()
                .filter(o -> o.input() instanceof BlobInput.Put && !o.outcomeUnknown())
                .count();
        long afterKill = history.stream()
                .filter(o -> !o.outcomeUnknown() && o.callTime() > killedAt)
                .count();
        assertThat(completedPuts).as(cluster::logs).isGreaterThan(10);
        assertThat(afterKill)
                .as("operations completed after the kill (new leader c%d after %d ms)", newLeader, electedAfterMillis)
                .isPositive();

        Verdict verdict = LinearizabilityChecker.check(new BlobModel(), List.copyOf(history), Duration.ofSeconds(60));
        assertThat(verdict)
                .as(() -> verdict instanceof Verdict.NotLinearizable bad ? bad.explanation() : verdict.toString())
                .isInstanceOf(Verdict.Linearizable.class);

        cluster.restartCoordinator(oldLeader);
        cluster.awaitHealthy(3);
        for (int c = 0; c < cluster.coordinatorCount(); c++) {
            for (int k = 0; k < KEYS; k++) {
                HttpResponse<String> get = send("GET", cluster.coordinatorUrl(c).resolve("/blobs/key" + k), null);
                assertThat(get.statusCode()).as(get.body()).isIn(200, 404);
            }
        }
    }

    private static long completed(List<Operation<BlobInput, BlobOutput>> history) {
        synchronized (history) {
            return history.stream().filter(o -> !o.outcomeUnknown()).count();
        }
    }

    private void runClient(
            int client,
            List<Operation<BlobInput, BlobOutput>> history,
            Map<String, String> lastAcknowledgedPut,
            AtomicBoolean stop) {
        SplittableRandom random = new SplittableRandom(client);
        for (int i = 0; !stop.get(); i++) {
            String key = "key" + random.nextInt(KEYS);
            URI coordinator = cluster.coordinatorUrl(random.nextInt(3));
            int dice = random.nextInt(10);
            BlobInput input = dice < 5
                    ? new BlobInput.Put("c" + client + "-" + i)
                    : dice < 9 ? new BlobInput.Get() : new BlobInput.Delete();
            long called = System.nanoTime();
            BlobOutput output = null;
            boolean definitelyNoEffect = false;
            try {
                HttpResponse<String> r = switch (input) {
                    case BlobInput.Put put -> send("PUT", coordinator.resolve("/blobs/" + key), put.value());
                    case BlobInput.Get ignored -> send("GET", coordinator.resolve("/blobs/" + key), null);
                    case BlobInput.Delete ignored -> send("DELETE", coordinator.resolve("/blobs/" + key), null);
                };
                output = switch (r.statusCode()) {
                    case 200 -> new BlobOutput.Found(r.body());
                    case 404 -> new BlobOutput.NotFound();
                    case 201, 204 -> new BlobOutput.Done();
                    default -> null;
                };
                // docs/protocol.md: a 503 that does not say the outcome is unknown was not applied.
                definitelyNoEffect =
                        output == null && r.statusCode() == 503 && !r.body().contains("outcome is unknown");
            } catch (IOException | InterruptedException e) {
                output = null;
            }
            if (output != null) {
                history.add(Operation.completed(client, key, input, output, called, System.nanoTime()));
                if (input instanceof BlobInput.Put put) {
                    lastAcknowledgedPut.put(key, put.value());
                }
            } else {
                if (!(input instanceof BlobInput.Get) && !definitelyNoEffect) {
                    // A failed write may still have taken effect: its outcome is unknown. A failed read observed
                    // nothing.
                    history.add(Operation.unknownOutcome(client, key, input, called));
                }
                pause();
            }
        }
    }

    /** After a failure, waits a little: a client hammering a cluster without a leader only piles up unknown outcomes. */
    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Order(2)
    void aCoordinatorJoinsCatchesUpAndIsRemoved() throws Exception {
        HttpResponse<String> before = send("PUT", cluster.coordinatorUrl(0).resolve("/blobs/membership"), "before");
        assertThat(before.statusCode()).isEqualTo(201);
        // Writes until the leader has purged log entries behind a snapshot (every 100 entries in
        // tests), so that the new member can only catch up from a snapshot. Only closed log segments
        // are purged, and how many entries fill one depends on how the writes were batched.
        int[] round = {0};
        JsonNode leaderStatus = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ZERO)
                .ignoreExceptions()
                .until(
                        () -> {
                            fill(round[0]++);
                            return JSON.readTree(send(
                                            "GET",
                                            cluster.coordinatorUrl(cluster.leader())
                                                    .resolve("/api/v1/cluster/status"),
                                            null)
                                    .body());
                        },
                        s -> s.get("log_start_index").asLong() > 0);
        int added = cluster.startExtraCoordinator(3);
        HttpResponse<String> add = send(
                "POST",
                cluster.coordinatorUrl(1).resolve("/api/v1/cluster/nodes"),
                "{\"node_id\":\"c" + added + "\",\"address\":\"" + cluster.raftAddress(added) + "\"}");
        assertThat(add.statusCode()).as(() -> add.body() + cluster.logs()).isEqualTo(200);
        assertThat(JSON.readTree(add.body()).get("coordinators")).hasSize(4);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> read =
                    send("GET", cluster.coordinatorUrl(added).resolve("/blobs/membership"), null);
            assertThat(read.body()).isEqualTo("before");
        });
        JsonNode status =
                JSON.readTree(send("GET", cluster.coordinatorUrl(added).resolve("/api/v1/cluster/status"), null)
                        .body());
        assertThat(status.get("coordinators")).hasSize(4);
        assertThat(status.get("snapshot_index").asLong())
                .as("the new member installed the leader's snapshot: it never had the purged entries")
                .isGreaterThanOrEqualTo(leaderStatus.get("log_start_index").asLong() - 1);

        // The leader is removed while 8 writers keep sending it writes: each must be answered (201
        // before the change, 503 after it), none left hanging as the leader's Raft member closes.
        int leader = cluster.leader();
        List<Integer> remaining =
                Stream.of(0, 1, 2, added).filter(i -> i != leader).toList();
        AtomicBoolean removing = new AtomicBoolean(true);
        List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; removing.get(); i++) {
                    String key = "removal-" + writer + "-" + i;
                    try {
                        send("PUT", cluster.coordinatorUrl(leader).resolve("/blobs/" + key), "x");
                    } catch (HttpTimeoutException e) {
                        unanswered.add(key);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        HttpResponse<String> remove = send(
                "DELETE",
                cluster.coordinatorUrl(remaining.getFirst()).resolve("/api/v1/cluster/nodes/c" + leader),
                null);
        assertThat(remove.statusCode()).as(remove.body()).isEqualTo(200);
        removing.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(unanswered)
                .as("writes to the removed leader without an answer in 15 s")
                .isEmpty();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            JsonNode after = JSON.readTree(
                    send("GET", cluster.coordinatorUrl(remaining.getFirst()).resolve("/api/v1/cluster/status"), null)
                            .body());
            assertThat(after.get("coordinators").findValuesAsText("id"))
                    .containsExactlyElementsOf(
                            remaining.stream().map(i -> "c" + i).sorted().toList());
        });
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> write =
                    send("PUT", cluster.coordinatorUrl(remaining.get(0)).resolve("/blobs/membership"), "after");
            assertThat(write.statusCode()).as(write.body()).isEqualTo(201);
        });
        assertThat(send("GET", cluster.coordinatorUrl(remaining.get(1)).resolve("/blobs/membership"), null)
                        .body())
                .isEqualTo("after");
        assertThat(send("DELETE", cluster.coordinatorUrl(1).resolve("/api/v1/cluster/nodes/nope"), null)
                        .statusCode())
                .isEqualTo(404);
    }

    /** 8 writers putting 60 keys each at once, through every coordinator. */
    private void fill(int round) throws InterruptedException {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 60; i++) {
                    try {
                        send(
                                "PUT",
                                cluster.coordinatorUrl(i % 3).resolve("/blobs/fill-" + round + "-" + writer + "-" + i),
                                "x");
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws IOException, InterruptedException {
        return cluster.http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(15))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
