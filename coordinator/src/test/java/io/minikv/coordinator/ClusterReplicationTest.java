package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster of 3 coordinators and 3 volumes (replicas 3), each a real process: replication,
 * reads and writes through followers, the losses of a volume and of the whole cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterReplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void aWriteThroughAFollowerIsStoredOnEveryReplicaAndReadableEverywhere() throws Exception {
        int follower = (cluster.leader() + 1) % 3;
        URI leader = cluster.coordinatorUrl(cluster.leader());
        double roundsBefore = gauge(leader, "minikv_write_rounds_total");
        double roundWritesBefore = gauge(leader, "minikv_write_round_writes_total");
        HttpResponse<String> put =
                send("PUT", cluster.coordinatorUrl(follower).resolve("/blobs/photos/cat.jpg"), "meow");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(gauge(leader, "minikv_write_rounds_total"))
                .as("the leader ran the small write in a round")
                .isEqualTo(roundsBefore + 1);
        assertThat(gauge(leader, "minikv_write_round_writes_total")).isEqualTo(roundWritesBefore + 1);
        String leaderAddress = cluster.coordinatorUrl(cluster.leader()).getAuthority();
        assertThat(put.headers().firstValue("X-Minikv-Leader")).hasValue(leaderAddress);
        JsonNode created = JSON.readTree(put.body());
        assertThat(created.get("replicas")).hasSize(3);
        assertThat(created.get("version").asLong()).isPositive();

        for (int c = 0; c < 3; c++) {
            HttpResponse<String> get = send("GET", cluster.coordinatorUrl(c).resolve("/blobs/photos/cat.jpg"), null);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("meow");
            assertThat(get.headers().firstValue("X-Minikv-Leader")).hasValue(leaderAddress);
            assertThat(get.headers().firstValue("ETag"))
                    .hasValue("\"" + created.get("etag").asText() + "\"");
        }
        for (int v = 0; v < 3; v++) {
            HttpResponse<String> onVolume = send("GET", cluster.volumeUrl(v).resolve("/blobs/photos/cat.jpg"), null);
            assertThat(onVolume.statusCode()).as("replica v" + v).isEqualTo(200);
            assertThat(onVolume.body()).isEqualTo("meow");
        }
        HttpResponse<String> list =
                send("GET", cluster.coordinatorUrl(follower).resolve("/blobs?prefix=photos/"), null);
        assertThat(JSON.readTree(list.body()).toString()).isEqualTo("[\"photos/cat.jpg\"]");
    }

    @Test
    @Order(2)
    void conditionalWritesDeletesAndTheJsonApi() throws Exception {
        URI follower = cluster.coordinatorUrl((cluster.leader() + 2) % 3);
        HttpResponse<String> first = send("PUT", follower.resolve("/blobs/cond"), "one", Map.of("If-None-Match", "*"));
        assertThat(first.statusCode()).isEqualTo(201);
        String etag = JSON.readTree(first.body()).get("etag").asText();
        assertThat(send("PUT", follower.resolve("/blobs/cond"), "two", Map.of("If-None-Match", "*"))
                        .statusCode())
                .isEqualTo(412);
        assertThat(send("PUT", follower.resolve("/blobs/cond"), "two", Map.of("If-Match", "\"nope\""))
                        .statusCode())
                .isEqualTo(412);
        assertThat(send("PUT", follower.resolve("/blobs/cond"), "two", Map.of("If-Match", "\"" + etag + "\""))
                        .statusCode())
                .isEqualTo(201);
        assertThat(send("GET", follower.resolve("/blobs/cond"), null).body()).isEqualTo("two");

        assertThat(send("DELETE", follower.resolve("/blobs/cond"), null).statusCode())
                .isEqualTo(204);
        assertThat(send("DELETE", follower.resolve("/blobs/cond"), null).statusCode())
                .as("idempotent")
                .isEqualTo(204);
        HttpResponse<String> gone = send("GET", follower.resolve("/blobs/cond"), null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("Blob not found");

        String value = Base64.getEncoder().encodeToString("hello kv".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> kvPut =
                send("PUT", follower.resolve("/api/v1/kv/greeting"), "{\"value\":\"" + value + "\"}");
        assertThat(kvPut.statusCode()).as(kvPut.body()).isEqualTo(200);
        JsonNode kv = JSON.readTree(
                send("GET", follower.resolve("/api/v1/kv/greeting"), null).body());
        assertThat(kv.get("value").asText()).isEqualTo(value);
        assertThat(kv.get("version").asLong())
                .isEqualTo(JSON.readTree(kvPut.body()).get("version").asLong());
        assertThat(send("PUT", follower.resolve("/api/v1/kv/bad"), "{\"value\": 3}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(JSON.readTree(send("GET", follower.resolve("/api/v1/kv?prefix=gree"), null)
                                .body())
                        .get("keys")
                        .toString())
                .isEqualTo("[\"greeting\"]");
    }

    @Test
    @Order(3)
    void writesContinueWhenAVolumeIsKilledAndRepairRestoresItsReplicas() throws Exception {
        List<String> before = writeKeys("old-", 20);
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String key = "during-" + writer + "-" + i;
                    try {
                        HttpResponse<String> put =
                                send("PUT", cluster.coordinatorUrl(i % 3).resolve("/blobs/" + key), key);
                        if (put.statusCode() == 201) {
                            acknowledged.put(key, key);
                        }
                    } catch (Exception e) {
                        // Not acknowledged: nothing is expected of this key.
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 20);
        cluster.killVolume(1);
        // Once the coordinators have marked v1 down, writes must still be acknowledged.
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> cluster.get(cluster.coordinatorUrl(0).resolve("/health"))
                                .get("volumes_up")
                                .asInt()
                        == 2);
        int duringOutage = acknowledged.size();
        await().atMost(Duration.ofSeconds(60))
                .alias("writes kept being acknowledged with one volume down")
                .until(() -> acknowledged.size() >= duringOutage + 20);
        stop.set(true);
        for (Thread writer : writers) {
            writer.join();
        }
        for (String key : before) {
            assertThat(send("GET", cluster.coordinatorUrl(0).resolve("/blobs/" + key), null)
                            .body())
                    .as("old key " + key)
                    .isEqualTo(key);
        }
        for (String key : acknowledged.keySet()) {
            assertThat(send("GET", cluster.coordinatorUrl(2).resolve("/blobs/" + key), null)
                            .body())
                    .as("acknowledged " + key)
                    .isEqualTo(key);
        }

        cluster.restartVolume(1);
        List<String> all = new ArrayList<>(before);
        all.addAll(acknowledged.keySet());
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (String key : all) {
                        assertThat(send("GET", cluster.volumeUrl(1).resolve("/blobs/" + key), null)
                                        .statusCode())
                                .as("v1 holds " + key + " again")
                                .isEqualTo(200);
                    }
                });
        // The writes in flight when v1 died left it prepared transactions; the leader settles them.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode report =
                    JSON.readTree(send("POST", cluster.coordinatorUrl(0).resolve("/api/v1/admin/verify"), null)
                            .body());
            assertThat(report.get("prepared_transactions").toString())
                    .as(report.toString())
                    .isEqualTo("{\"v0\":0,\"v1\":0,\"v2\":0}");
        });
    }

    @Test
    @Order(4)
    void everythingAcknowledgedSurvivesAFullClusterRestart() throws Exception {
        List<String> keys = writeKeys("restart-", 10);
        cluster.stopAll();
        cluster.startAll();
        cluster.awaitHealthy(3);
        for (String key : keys) {
            HttpResponse<String> get = send("GET", cluster.coordinatorUrl(1).resolve("/blobs/" + key), null);
            assertThat(get.statusCode()).as(key).isEqualTo(200);
            assertThat(get.body()).isEqualTo(key);
        }
        assertThat(send("GET", cluster.coordinatorUrl(0).resolve("/blobs/photos/cat.jpg"), null)
                        .body())
                .isEqualTo("meow");
    }

    @Test
    @Order(5)
    void verifyFindsWhatAVolumeMissedAndRepairCleansItUp() throws Exception {
        URI coordinator = cluster.coordinatorUrl(0);
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(
                                JSON.readTree(send("POST", coordinator.resolve("/api/v1/admin/verify"), null)
                                                .body())
                                        .get("ok")
                                        .asBoolean())
                        .isTrue());
        cluster.killVolume(2);
        assertThat(send("DELETE", coordinator.resolve("/blobs/restart-0"), null).statusCode())
                .isEqualTo(204);
        cluster.restartVolume(2);
        cluster.awaitHealthy(3);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode found = JSON.readTree(send("POST", coordinator.resolve("/api/v1/admin/verify"), null)
                    .body());
            assertThat(found.get("ok").asBoolean()).as(found.toString()).isFalse();
            assertThat(found.get("problems").toString())
                    .contains("\"key\":\"restart-0\",\"volume\":\"v2\",\"problem\":\"orphan\"");
        });

        JsonNode dryRun = JSON.readTree(send("POST", coordinator.resolve("/api/v1/admin/repair?dry_run=true"), null)
                .body());
        assertThat(dryRun.get("orphans").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(send("GET", cluster.volumeUrl(2).resolve("/blobs/restart-0"), null)
                        .statusCode())
                .as("a dry run changes nothing")
                .isEqualTo(200);
        JsonNode repaired = JSON.readTree(
                send("POST", coordinator.resolve("/api/v1/admin/repair"), null).body());
        assertThat(repaired.get("orphans").asInt()).as(repaired.toString()).isGreaterThanOrEqualTo(1);
        assertThat(send("GET", cluster.volumeUrl(2).resolve("/blobs/restart-0"), null)
                        .statusCode())
                .isEqualTo(404);

        JsonNode deep = JSON.readTree(send("POST", coordinator.resolve("/api/v1/admin/verify?deep=true"), null)
                .body());
        assertThat(deep.get("ok").asBoolean()).as(deep.toString()).isTrue();
        assertThat(deep.get("replicas_checked").asLong()).isPositive();

        JsonNode rebalanced = JSON.readTree(send("POST", coordinator.resolve("/api/v1/admin/rebalance"), null)
                .body());
        assertThat(rebalanced.has("moved")).as(rebalanced.toString()).isTrue();
        JsonNode compacted = JSON.readTree(
                send("POST", coordinator.resolve("/api/v1/admin/compact"), null).body());
        assertThat(compacted.get("volumes")).hasSize(3);
        assertThat(send("POST", coordinator.resolve("/api/v1/admin/compact?shard=999"), null)
                        .statusCode())
                .isEqualTo(400);
        assertThat(JSON.readTree(send("POST", coordinator.resolve("/api/v1/admin/verify"), null)
                                .body())
                        .get("ok")
                        .asBoolean())
                .isTrue();
    }

    /**
     * Each coordinator caches a small value once it has read it; an overwrite or a delete through
     * another coordinator must still be what every coordinator answers next.
     */
    @Test
    @Order(6)
    void everyCoordinatorAnswersTheCommittedVersionWhateverItCachedBefore() throws Exception {
        int leader = cluster.leader();
        List<URI> coordinators = List.of(
                cluster.coordinatorUrl(leader),
                cluster.coordinatorUrl((leader + 1) % 3),
                cluster.coordinatorUrl((leader + 2) % 3));
        URI key = URI.create("/blobs/cached/value");
        assertThat(send("PUT", coordinators.get(0).resolve(key), "first").statusCode())
                .isEqualTo(201);
        for (URI coordinator : coordinators) {
            assertThat(send("GET", coordinator.resolve(key), null).body()).isEqualTo("first");
        }
        double hitsBefore = cacheHits(coordinators.get(1));
        assertThat(send("GET", coordinators.get(1).resolve(key), null).body()).isEqualTo("first");
        assertThat(cacheHits(coordinators.get(1)))
                .as("a second read is answered from the cache")
                .isGreaterThan(hitsBefore);

        assertThat(send("PUT", coordinators.get(2).resolve(key), "second").statusCode())
                .isEqualTo(201);
        for (URI coordinator : coordinators) {
            assertThat(send("GET", coordinator.resolve(key), null).body())
                    .as("after an overwrite through another coordinator, " + coordinator)
                    .isEqualTo("second");
        }
        assertThat(send("DELETE", coordinators.get(1).resolve(key), null).statusCode())
                .isEqualTo(204);
        for (URI coordinator : coordinators) {
            assertThat(send("GET", coordinator.resolve(key), null).statusCode())
                    .as("after a delete, " + coordinator)
                    .isEqualTo(404);
        }
        assertThat(send("PUT", coordinators.get(1).resolve(key), "third").statusCode())
                .isEqualTo(201);
        for (URI coordinator : coordinators) {
            assertThat(send("GET", coordinator.resolve(key), null).body()).isEqualTo("third");
        }
    }

    /**
     * A deletion is kept as a tombstone for the retention period (5 s in these tests), then every
     * coordinator forgets the key; writing it again starts afresh.
     */
    @Test
    @Order(7)
    void deletedKeysAreForgottenAfterTheRetention() throws Exception {
        URI follower = cluster.coordinatorUrl((cluster.leader() + 1) % 3);
        URI key = URI.create("/blobs/forgotten/key");
        assertThat(send("PUT", follower.resolve(key), "once").statusCode()).isEqualTo(201);
        assertThat(send("DELETE", follower.resolve(key), null).statusCode()).isEqualTo(204);
        assertThat(gauge(cluster.coordinatorUrl(cluster.leader()), "minikv_metadata_tombstones"))
                .as("the leader, right after the delete")
                .isPositive();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int c = 0; c < 3; c++) {
                assertThat(gauge(cluster.coordinatorUrl(c), "minikv_metadata_tombstones"))
                        .as("coordinator %d", c)
                        .isZero();
            }
        });
        assertThat(send("GET", follower.resolve(key), null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", follower.resolve(key), null).statusCode()).isEqualTo(204);
        assertThat(send("PUT", follower.resolve(key), "again").statusCode()).isEqualTo(201);
        for (int c = 0; c < 3; c++) {
            assertThat(send("GET", cluster.coordinatorUrl(c).resolve(key), null).body())
                    .isEqualTo("again");
        }
    }

    /** The value of a metric without labels besides the coordinator's own, summed over its series. */
    private double gauge(URI coordinator, String name) throws Exception {
        return send("GET", coordinator.resolve("/metrics"), null)
                .body()
                .lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private double cacheHits(URI coordinator) throws Exception {
        return gauge(coordinator, "minikv_value_cache_hits_total");
    }

    private List<String> writeKeys(String prefix, int count) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            HttpResponse<String> put = send("PUT", cluster.coordinatorUrl(i % 3).resolve("/blobs/" + key), key);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            keys.add(key);
        }
        return keys;
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws IOException, InterruptedException {
        return send(method, uri, body, Map.of());
    }

    private HttpResponse<String> send(String method, URI uri, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return cluster.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
