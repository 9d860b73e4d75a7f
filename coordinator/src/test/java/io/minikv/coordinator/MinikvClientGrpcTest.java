package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.client.Blob;
import io.minikv.client.ClusterStatus;
import io.minikv.client.Condition;
import io.minikv.client.CoordinatorInfo;
import io.minikv.client.Health;
import io.minikv.client.MinikvClient;
import io.minikv.client.Protocol;
import io.minikv.client.PutResult;
import io.minikv.proto.MinikvException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MinikvClient} in gRPC mode against real coordinator processes (3 coordinators, 1 volume,
 * replicas 1). Its first target refuses connections and its second is a follower, so calls fail
 * over once and writes are forwarded to the leader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MinikvClientGrpcTest {
    @TempDir
    static Path dir;

    private LocalCluster cluster;
    private MinikvClient client;
    private int leader;
    private int follower;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = LocalCluster.start(dir, 3, 1, 1);
        leader = cluster.leader();
        follower = (leader + 1) % 3;
        String refused;
        try (ServerSocket socket = new ServerSocket(0)) {
            refused = "127.0.0.1:" + socket.getLocalPort();
        }
        client = MinikvClient.builder()
                .coordinators(cluster.coordinatorUrls())
                .grpcTargets(List.of(
                        refused, cluster.coordinatorGrpcTarget(follower), cluster.coordinatorGrpcTarget(leader)))
                .protocol(Protocol.GRPC)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void putThenGetReturnsTheBytesWithTheirMetadata() {
        byte[] value = "hello over gRPC".getBytes(StandardCharsets.UTF_8);
        PutResult put = client.put("client/hello", value);

        assertThat(put.size()).isEqualTo(value.length);
        assertThat(put.replicas()).containsExactly("v0");
        assertThat(client.getBytes("client/hello")).isEqualTo(value);
        assertThat(client.head("client/hello").etag()).isEqualTo(put.etag());
        assertThat(client.head("client/hello").version()).isEqualTo(put.version());
    }

    @Test
    void aStreamOfUnknownLengthIsStoredAndReadBackWhole() throws Exception {
        int size = 5 << 20;
        byte[] value = new byte[size];
        new SplittableRandom(7).nextBytes(value);
        PutResult put =
                client.put("client/stream", new ByteArrayInputStream(value), -1, "application/x-test", Condition.NONE);

        assertThat(put.size()).isEqualTo(size);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (Blob blob = client.get("client/stream");
                DigestInputStream data = new DigestInputStream(blob.data(), md5)) {
            assertThat(blob.metadata().contentType()).isEqualTo("application/x-test");
            assertThat(data.transferTo(OutputStream.nullOutputStream())).isEqualTo(size);
        }
        assertThat(HexFormat.of().formatHex(md5.digest())).isEqualTo(put.etag());
    }

    @Test
    void aPutIfAbsentFailsWhenTheKeyExists() {
        byte[] value = {1, 2, 3};
        client.put(
                "client/once",
                new ByteArrayInputStream(value),
                value.length,
                "application/octet-stream",
                Condition.ifAbsent());

        assertThatThrownBy(() -> client.put(
                        "client/once",
                        new ByteArrayInputStream(value),
                        value.length,
                        "application/octet-stream",
                        Condition.ifAbsent()))
                .isInstanceOf(MinikvException.PreconditionFailed.class);
    }

    @Test
    void aDeletedKeyIsNotFound() {
        client.put("client/gone", new byte[] {9});

        client.delete("client/gone");
        client.delete("client/gone");

        assertThatThrownBy(() -> client.getBytes("client/gone")).isInstanceOf(MinikvException.NotFound.class);
    }

    @Test
    void listReturnsTheKeysUnderAPrefixInOrder() {
        client.put("client-list/b", new byte[] {2});
        client.put("client-list/a", new byte[] {1});

        assertThat(client.list("client-list/", "", 10)).containsExactly("client-list/a", "client-list/b");
        assertThat(client.list("client-list/", "client-list/a", 10)).containsExactly("client-list/b");
    }

    @Test
    void statusAndHealthDescribeTheCluster() {
        ClusterStatus status = client.status();

        assertThat(status.nodeId()).isEqualTo("c" + follower);
        assertThat(status.leader()).isEqualTo("c" + leader);
        assertThat(status.coordinators()).extracting(CoordinatorInfo::id).containsExactlyInAnyOrder("c0", "c1", "c2");
        assertThat(status.volumes())
                .singleElement()
                .satisfies(v -> assertThat(v.state()).isEqualTo("up"));
        assertThat(status.replicas()).isEqualTo(1);
        Health health = client.health();
        assertThat(health.status()).isEqualTo("healthy");
        assertThat(health.role()).isEqualTo("follower");
        assertThat(health.leader()).isEqualTo("c" + leader);
    }
}
