package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.BlockingClientCall;
import io.grpc.stub.MetadataUtils;
import io.minikv.proto.v1.ClusterGrpc;
import io.minikv.proto.v1.ClusterStatusRequest;
import io.minikv.proto.v1.ClusterStatusResponse;
import io.minikv.proto.v1.CoordinatorInfo;
import io.minikv.proto.v1.HealthRequest;
import io.minikv.proto.v1.HealthResponse;
import io.minikv.proto.v1.KVGrpc;
import io.minikv.proto.v1.KvDeleteRequest;
import io.minikv.proto.v1.KvGetRequest;
import io.minikv.proto.v1.KvGetResponse;
import io.minikv.proto.v1.KvListRequest;
import io.minikv.proto.v1.KvMetadata;
import io.minikv.proto.v1.KvPutHeader;
import io.minikv.proto.v1.KvPutRequest;
import io.minikv.proto.v1.KvPutResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public gRPC services of the coordinators ({@code minikv.v1.KV}, {@code minikv.v1.Cluster})
 * on a cluster of real processes: 3 coordinators and 3 volumes, replicas 3. Writes go through a
 * follower (forwarded to the leader) and through the leader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvGrpcTest {
    private static final int LARGE = 20 << 20;
    private static final int CHUNK = 256 * 1024;

    @TempDir
    static Path dir;

    private LocalCluster cluster;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private int leader;
    private int follower;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = LocalCluster.start(dir, 3, 3, 3);
        for (int i = 0; i < 3; i++) {
            channels.add(NettyChannelBuilder.forTarget(cluster.coordinatorGrpcTarget(i))
                    .usePlaintext()
                    .build());
        }
        leader = cluster.leader();
        follower = (leader + 1) % 3;
    }

    @AfterAll
    void stopCluster() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSmallValuePutThroughAFollowerIsReadFromEveryCoordinator() throws Exception {
        byte[] value = "meow".getBytes(StandardCharsets.UTF_8);
        KvPutResponse put = put(follower, header("small/cat").setContentType("text/plain"), value);

        assertThat(put.getKey()).isEqualTo("small/cat");
        assertThat(put.getSize()).isEqualTo(4);
        assertThat(put.getEtag()).isEqualTo(md5Hex(value));
        assertThat(put.getReplicasList()).hasSize(3);
        for (int c = 0; c < 3; c++) {
            Read read = get(c, "small/cat");
            assertThat(read.metadata().getVersion()).isEqualTo(put.getVersion());
            assertThat(read.metadata().getSize()).isEqualTo(4);
            assertThat(read.metadata().getEtag()).isEqualTo(put.getEtag());
            assertThat(read.metadata().getContentType()).isEqualTo("text/plain");
            assertThat(read.md5()).isEqualTo(put.getEtag());
        }
    }

    @Test
    void aLargeValueStreamsThroughAFollowerAndBackOutOfTheLeader() throws Exception {
        KvPutResponse put = putRandom(follower, "large/through-follower", LARGE, 1);

        assertThat(put.getSize()).isEqualTo(LARGE);
        Read read = get(leader, "large/through-follower");
        assertThat(read.size()).isEqualTo(LARGE);
        assertThat(read.chunks()).isGreaterThan(1);
        assertThat(read.md5()).isEqualTo(put.getEtag());
    }

    @Test
    void aLargeValueStreamsIntoTheLeaderAndBackOutOfAFollower() throws Exception {
        KvPutResponse put = putRandom(leader, "large/into-leader", LARGE, 2);

        Read read = get(follower, "large/into-leader");
        assertThat(read.size()).isEqualTo(LARGE);
        assertThat(read.md5()).isEqualTo(put.getEtag());
    }

    @Test
    void aConditionalPutFailsOnceItsConditionNoLongerHolds() throws Exception {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        KvPutResponse created = put(follower, header("conditional/key").setIfAbsent(true), first);

        assertThatThrownBy(() -> put(follower, header("conditional/key").setIfAbsent(true), first))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> put(leader, header("conditional/key").setIfMatch(md5Hex(new byte[0])), first))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        KvPutResponse replaced = put(
                follower,
                header("conditional/key").setIfMatch(created.getEtag()),
                "second".getBytes(StandardCharsets.UTF_8));
        assertThat(replaced.getVersion()).isGreaterThan(created.getVersion());
    }

    @Test
    void everyAnswerNamesTheLeadersGrpcAddress() throws Exception {
        Metadata.Key<String> named = Metadata.Key.of(LeaderHeader.HEADER, Metadata.ASCII_STRING_MARSHALLER);
        for (int coordinator : List.of(follower, leader)) {
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            KVGrpc.KVBlockingV2Stub kv =
                    kv(coordinator).withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
            kv.delete(delete("named/" + coordinator));
            assertThat(headers.get().get(named))
                    .as("coordinator %d", coordinator)
                    .isEqualTo(cluster.coordinatorGrpcTarget(leader));
        }
    }

    @Test
    void aDeletedKeyIsNotFoundAndDeletingItAgainDeletesNothing() throws Exception {
        put(leader, header("deleted/key"), new byte[] {1, 2, 3});

        assertThat(kv(follower).delete(delete("deleted/key")).getDeleted()).isTrue();
        assertThatThrownBy(() -> get(leader, "deleted/key"))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(kv(leader).delete(delete("deleted/key")).getDeleted()).isFalse();
    }

    @Test
    void listAnswersOnePageOfKeysInOrder() throws Exception {
        for (String key : List.of("list/c", "list/a", "list/b", "listed-elsewhere")) {
            put(leader, header(key), key.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(kv(follower)
                        .list(KvListRequest.newBuilder().setPrefix("list/").build())
                        .getKeysList())
                .containsExactly("list/a", "list/b", "list/c");
        assertThat(kv(follower)
                        .list(KvListRequest.newBuilder()
                                .setPrefix("list/")
                                .setStartAfter("list/a")
                                .setLimit(1)
                                .build())
                        .getKeysList())
                .containsExactly("list/b");
        assertThatThrownBy(() -> kv(leader)
                        .list(KvListRequest.newBuilder().setLimit(10_001).build()))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void statusAndHealthSayWhatTheHttpApiSays() throws Exception {
        ClusterStatusResponse status = cluster(follower).status(ClusterStatusRequest.getDefaultInstance());
        JsonNode http = cluster.get(cluster.coordinatorUrl(follower).resolve("/api/v1/cluster/status"));

        assertThat(status.getLeader())
                .isEqualTo("c" + leader)
                .isEqualTo(http.get("leader").asText());
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getWriteQuorum()).isEqualTo(2);
        assertThat(status.getShards()).isEqualTo(http.get("shards").asInt());
        assertThat(status.getVolumesList())
                .hasSize(3)
                .allSatisfy(v -> assertThat(v.getState()).isEqualTo("up"));
        assertThat(status.getCoordinatorsList())
                .extracting(CoordinatorInfo::getId, CoordinatorInfo::getGrpcAddress)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("c0", cluster.coordinatorGrpcTarget(0)),
                        org.assertj.core.groups.Tuple.tuple("c1", cluster.coordinatorGrpcTarget(1)),
                        org.assertj.core.groups.Tuple.tuple("c2", cluster.coordinatorGrpcTarget(2)));
        List<String> httpGrpcAddresses = new ArrayList<>();
        http.get("coordinators")
                .forEach(c -> httpGrpcAddresses.add(c.get("grpc_address").asText()));
        assertThat(status.getCoordinatorsList())
                .extracting(CoordinatorInfo::getGrpcAddress)
                .containsExactlyElementsOf(httpGrpcAddresses);

        HealthResponse leaderHealth = cluster(leader).health(HealthRequest.getDefaultInstance());
        assertThat(leaderHealth.getStatus()).isEqualTo("healthy");
        assertThat(leaderHealth.getRole()).isEqualTo("leader");
        assertThat(leaderHealth.getNodeId()).isEqualTo("c" + leader);
        assertThat(leaderHealth.getReason()).isEmpty();
        HealthResponse followerHealth = cluster(follower).health(HealthRequest.getDefaultInstance());
        assertThat(followerHealth.getRole()).isEqualTo("follower");
        assertThat(followerHealth.getLeader()).isEqualTo("c" + leader);
    }

    @Test
    void aBadKeyIsAnInvalidArgumentAndAMissingKeyIsNotFound() {
        assertThatThrownBy(() -> get(follower, ""))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> put(leader, header("bad\nkey"), new byte[] {1}))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> kv(follower).delete(delete("bad\u0000key")))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> get(follower, "never/written"))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aPutWithoutAHeaderIsAnInvalidArgument() throws Exception {
        BlockingClientCall<KvPutRequest, KvPutResponse> call = kv(leader).put();
        call.write(KvPutRequest.newBuilder()
                .setChunk(ByteString.copyFromUtf8("data"))
                .build());
        call.halfClose();

        assertThatThrownBy(call::read)
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void aFollowerNeverForwardsACallThatWasForwardedToIt() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(GrpcLeaderForwarder.HEADER, Metadata.ASCII_STRING_MARSHALLER), "elsewhere");
        KVGrpc.KVBlockingV2Stub forwarded =
                kv(follower).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

        assertThatThrownBy(() -> forwarded.delete(delete("forwarded/key")))
                .isInstanceOfSatisfying(
                        StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    private KVGrpc.KVBlockingV2Stub kv(int coordinator) {
        return KVGrpc.newBlockingV2Stub(channels.get(coordinator)).withDeadlineAfter(2, TimeUnit.MINUTES);
    }

    private ClusterGrpc.ClusterBlockingV2Stub cluster(int coordinator) {
        return ClusterGrpc.newBlockingV2Stub(channels.get(coordinator)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static KvPutHeader.Builder header(String key) {
        return KvPutHeader.newBuilder().setKey(key);
    }

    private static KvDeleteRequest delete(String key) {
        return KvDeleteRequest.newBuilder().setKey(key).build();
    }

    private KvPutResponse put(int coordinator, KvPutHeader.Builder header, byte[] value) throws Exception {
        BlockingClientCall<KvPutRequest, KvPutResponse> call = kv(coordinator).put();
        call.write(KvPutRequest.newBuilder().setHeader(header).build());
        call.write(
                KvPutRequest.newBuilder().setChunk(ByteString.copyFrom(value)).build());
        call.halfClose();
        return call.read();
    }

    /** Puts {@code size} random bytes (seeded), generated chunk by chunk as flow control lets them go. */
    private KvPutResponse putRandom(int coordinator, String key, int size, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        BlockingClientCall<KvPutRequest, KvPutResponse> call = kv(coordinator).put();
        call.write(KvPutRequest.newBuilder().setHeader(header(key)).build());
        byte[] chunk = new byte[CHUNK];
        for (int sent = 0; sent < size; sent += CHUNK) {
            random.nextBytes(chunk);
            md5.update(chunk);
            assertThat(call.write(KvPutRequest.newBuilder()
                            .setChunk(ByteString.copyFrom(chunk))
                            .build()))
                    .as("the call is still open after %d bytes", sent)
                    .isTrue();
        }
        call.halfClose();
        KvPutResponse put = call.read();
        assertThat(put.getEtag()).isEqualTo(HexFormat.of().formatHex(md5.digest()));
        return put;
    }

    /** What a Get delivered: its metadata, and the data's size, MD5 and number of chunks. */
    private record Read(KvMetadata metadata, long size, String md5, int chunks) {}

    private Read get(int coordinator, String key) throws Exception {
        BlockingClientCall<?, KvGetResponse> call =
                kv(coordinator).get(KvGetRequest.newBuilder().setKey(key).build());
        KvGetResponse first = call.read();
        assertThat(first.hasMetadata()).isTrue();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        long size = 0;
        int chunks = 0;
        for (KvGetResponse next; (next = call.read()) != null; ) {
            assertThat(next.hasChunk()).isTrue();
            assertThat(next.getChunk().size()).isLessThanOrEqualTo(1 << 20);
            next.getChunk().asReadOnlyByteBufferList().forEach(md5::update);
            size += next.getChunk().size();
            chunks++;
        }
        return new Read(first.getMetadata(), size, HexFormat.of().formatHex(md5.digest()), chunks);
    }

    private static String md5Hex(byte[] value) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value));
    }
}
