package io.minikv.volume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minikv.proto.Shards;
import io.minikv.proto.v1.AbortRequest;
import io.minikv.proto.v1.BatchItemResult;
import io.minikv.proto.v1.BlobMetadata;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.CompactRequest;
import io.minikv.proto.v1.DeleteRequest;
import io.minikv.proto.v1.KeyInfo;
import io.minikv.proto.v1.ListKeysRequest;
import io.minikv.proto.v1.ListPreparedRequest;
import io.minikv.proto.v1.PrepareBatchRequest;
import io.minikv.proto.v1.PrepareBatchResponse;
import io.minikv.proto.v1.PrepareHeader;
import io.minikv.proto.v1.PrepareRequest;
import io.minikv.proto.v1.PrepareResponse;
import io.minikv.proto.v1.PrepareTrailer;
import io.minikv.proto.v1.PullRequest;
import io.minikv.proto.v1.ReadRequest;
import io.minikv.proto.v1.ReadResponse;
import io.minikv.proto.v1.SmallValue;
import io.minikv.proto.v1.StatsRequest;
import io.minikv.proto.v1.StatsResponse;
import io.minikv.proto.v1.VolumeGrpc;
import io.minikv.storage.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volume's internal protocol, end to end through an in-process gRPC transport. */
class VolumeGrpcServiceTest {
    private static final long LIMIT = 8 << 20;

    @TempDir
    Path dir;

    private BlobStore blobs;
    private VolumeGrpcService service;
    private Server server;
    private ManagedChannel channel;
    private String name;

    @BeforeEach
    void start() throws IOException {
        name = InProcessServerBuilder.generateName();
        startOn(dir, 16);
    }

    private void startOn(Path data, int maxUploads) throws IOException {
        blobs = BlobStore.open(data, StoreOptions.defaults(), LIMIT);
        service = new VolumeGrpcService(blobs, "v1", new UploadSlots(maxUploads));
        server =
                InProcessServerBuilder.forName(name).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.close();
        blobs.close();
    }

    private void restart() throws Exception {
        stop();
        startOn(dir, 16);
    }

    private VolumeGrpc.VolumeBlockingStub blocking() {
        return VolumeGrpc.newBlockingStub(channel);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static BlobMetadata meta(String key, long version) {
        return BlobMetadata.newBuilder()
                .setKey(key)
                .setVersion(version)
                .setContentType("text/plain")
                .setCreatedAtMillis(1)
                .build();
    }

    /** Sends a whole prepare stream; {@code tamper} may change the messages before they are sent. */
    private CompletableFuture<PrepareResponse> prepare(
            long tx, BlobMetadata meta, byte[] data, Consumer<List<PrepareRequest>> tamper) throws Exception {
        List<PrepareRequest> messages = new ArrayList<>();
        messages.add(PrepareRequest.newBuilder()
                .setHeader(PrepareHeader.newBuilder().setTransactionId(tx).setMetadata(meta))
                .build());
        for (int at = 0; at < data.length; at += 100_000) {
            int n = Math.min(100_000, data.length - at);
            messages.add(PrepareRequest.newBuilder()
                    .setChunk(ByteString.copyFrom(data, at, n))
                    .build());
        }
        messages.add(PrepareRequest.newBuilder()
                .setTrailer(PrepareTrailer.newBuilder().setSize(data.length).setEtag(md5(data)))
                .build());
        tamper.accept(messages);
        FirstAnswer<PrepareResponse> answer = new FirstAnswer<>();
        StreamObserver<PrepareRequest> requests = VolumeGrpc.newStub(channel).prepare(answer);
        messages.forEach(requests::onNext);
        requests.onCompleted();
        return answer.value;
    }

    /** The answer side of a call whose one message is the answer, and the thread that gave it. */
    private static final class FirstAnswer<T> implements StreamObserver<T> {
        final CompletableFuture<T> value = new CompletableFuture<>();
        volatile Thread answeredOn;

        @Override
        public void onNext(T answer) {
            answeredOn = Thread.currentThread();
            value.complete(answer);
        }

        @Override
        public void onError(Throwable t) {
            value.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {}
    }

    private PrepareResponse prepareOk(long tx, BlobMetadata meta, byte[] data) throws Exception {
        return prepare(tx, meta, data, m -> {}).get(30, TimeUnit.SECONDS);
    }

    private static Status.Code failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause()).getCode();
        }
    }

    private byte[] read(String key, long version) {
        Iterator<ReadResponse> stream = blocking()
                .read(ReadRequest.newBuilder().setKey(key).setVersion(version).build());
        assertThat(stream.next().hasMetadata()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.forEachRemaining(r -> out.writeBytes(r.getChunk().toByteArray()));
        return out.toByteArray();
    }

    private CommitRequest commit(long tx, String key) {
        return CommitRequest.newBuilder().setTransactionId(tx).setKey(key).build();
    }

    @Test
    void preparedDataBecomesReadableOnlyAfterCommit() throws Exception {
        byte[] data = random(1_000_000);
        assertThat(prepareOk(11, meta("big/one", 3), data).getTransactionId()).isEqualTo(11);
        assertThatThrownBy(() -> read("big/one", 0))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(blocking().commit(commit(11, "big/one")).getApplied()).isTrue();
        assertThat(read("big/one", 3)).isEqualTo(data);
        assertThat(read("big/one", 0)).isEqualTo(data);
        assertThatThrownBy(() -> read("big/one", 2)).isInstanceOf(StatusRuntimeException.class);
    }

    private static SmallValue small(long tx, String key, byte[] data, String etag) {
        return SmallValue.newBuilder()
                .setHeader(PrepareHeader.newBuilder().setTransactionId(tx).setMetadata(meta(key, tx)))
                .setData(ByteString.copyFrom(data))
                .setEtag(etag)
                .build();
    }

    @Test
    void batchedPreparesAndCommitsAnswerForEachValue() throws Exception {
        byte[] one = "one".getBytes(UTF_8);
        byte[] two = random(BlobStore.INLINE_LIMIT);
        PrepareBatchResponse prepared = blocking()
                .prepareBatch(PrepareBatchRequest.newBuilder()
                        .addValues(small(21, "x/1", one, md5(one)))
                        .addValues(small(22, "x/bad", one, md5(two)))
                        .addValues(small(23, "x/2", two, md5(two)))
                        .build());
        assertThat(prepared.getResultsList()).extracting(BatchItemResult::getOk).containsExactly(true, false, true);
        assertThat(prepared.getResults(1).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(prepared.getResults(1).getError()).contains("checksum mismatch");

        byte[] three = "three".getBytes(UTF_8);
        PrepareBatchResponse committed = blocking()
                .prepareBatch(PrepareBatchRequest.newBuilder()
                        .addValues(small(24, "x/3", three, md5(three)))
                        .addCommits(commit(21, "x/1"))
                        .addCommits(commit(77, "x/1"))
                        .addCommits(commit(23, "x/2"))
                        .build());
        assertThat(committed.getResultsList())
                .extracting(BatchItemResult::getOk)
                .containsExactly(true);
        assertThat(committed.getCommitResultsList())
                .extracting(BatchItemResult::getOk)
                .containsExactly(true, false, true);
        assertThat(committed.getCommitResultsList())
                .extracting(BatchItemResult::getApplied)
                .containsExactly(true, false, true);
        assertThat(committed.getCommitResults(1).getCode()).isEqualTo(Status.Code.NOT_FOUND.value());
        assertThat(blobs.preparedTransactions())
                .extracting(PreparedTransaction::transactionId)
                .containsExactly(24L);
        PrepareBatchResponse onlyCommits = blocking()
                .prepareBatch(PrepareBatchRequest.newBuilder()
                        .addCommits(commit(24, "x/3"))
                        .build());
        assertThat(onlyCommits.getResultsList()).isEmpty();
        assertThat(onlyCommits.getCommitResultsList())
                .extracting(BatchItemResult::getApplied)
                .containsExactly(true);
        assertThat(read("x/3", 24)).isEqualTo(three);
        assertThat(read("x/1", 21)).isEqualTo(one);
        assertThat(read("x/2", 23)).isEqualTo(two);
        assertThatThrownBy(() -> read("x/bad", 0)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aBatchWithALargeValueIsRefused() throws Exception {
        byte[] large = random(BlobStore.INLINE_LIMIT + 1);
        assertThatThrownBy(() -> blocking()
                        .prepareBatch(PrepareBatchRequest.newBuilder()
                                .addValues(small(31, "y", large, md5(large)))
                                .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(blobs.preparedTransactions()).isEmpty();
    }

    @Test
    void undecidedTransactionsAreListedAfterRestart() throws Exception {
        prepareOk(1, meta("a", 1), "small".getBytes(UTF_8));
        prepareOk(2, meta("b", 1), random(50_000));
        restart();
        List<Long> listed = new ArrayList<>();
        blocking()
                .listPrepared(ListPreparedRequest.getDefaultInstance())
                .forEachRemaining(p -> listed.add(p.getTransactionId()));
        assertThat(listed).containsExactlyInAnyOrder(1L, 2L);
        blocking().abort(AbortRequest.newBuilder().setTransactionId(2).build());
        assertThat(blocking().commit(commit(1, "a")).getApplied()).isTrue();
        assertThat(blocking().commit(commit(1, "a")).getApplied())
                .as("idempotent")
                .isTrue();
        assertThat(blocking().stats(StatsRequest.getDefaultInstance()).getPrepared())
                .isZero();
    }

    @Test
    void committedVersionNeverGoesBackwards() throws Exception {
        prepareOk(1, meta("k", 1), "old".getBytes(UTF_8));
        prepareOk(2, meta("k", 2), "new".getBytes(UTF_8));
        assertThat(blocking().commit(commit(2, "k")).getApplied()).isTrue();
        assertThat(blocking().commit(commit(1, "k")).getApplied()).isFalse();
        assertThat(read("k", 0)).isEqualTo("new".getBytes(UTF_8));
        assertThat(blocking()
                        .delete(DeleteRequest.newBuilder()
                                .setKey("k")
                                .setVersion(1)
                                .build())
                        .getApplied())
                .isFalse();
        assertThat(blocking()
                        .delete(DeleteRequest.newBuilder()
                                .setKey("k")
                                .setVersion(3)
                                .build())
                        .getApplied())
                .isTrue();
        assertThatThrownBy(() -> read("k", 0)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void badPreparesAreRejectedAndLeaveNothing() throws Exception {
        byte[] data = random(200_000);
        assertThat(failure(prepare(1, meta("k", 1), data, m -> m.removeFirst())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure(prepare(2, meta("k", 1), data, m -> m.removeLast())))
                .as("no trailer")
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure(prepare(
                        3,
                        meta("k", 1),
                        data,
                        m -> m.set(
                                m.size() - 1,
                                PrepareRequest.newBuilder()
                                        .setTrailer(PrepareTrailer.newBuilder()
                                                .setSize(5)
                                                .setEtag("00"))
                                        .build()))))
                .as("trailer does not match")
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure(prepare(4, meta("k", 1), data, m -> m.remove(1))))
                .as("a chunk lost on the way")
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure(prepare(5, meta("bad\u0001key", 1), data, m -> {}))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure(prepare(6, meta("k", 1), random((int) LIMIT + 1), m -> {})))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        prepareOk(7, meta("k", 1), data);
        assertThat(failure(prepare(7, meta("k", 2), data, m -> {}))).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThatThrownBy(() -> blocking().commit(commit(99, "k")))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        List<Long> listed = new ArrayList<>();
        blocking()
                .listPrepared(ListPreparedRequest.getDefaultInstance())
                .forEachRemaining(p -> listed.add(p.getTransactionId()));
        assertThat(listed).containsExactly(7L);
    }

    @Test
    void refusesUploadsBeyondTheLimit() throws Exception {
        stop();
        name = InProcessServerBuilder.generateName();
        startOn(dir, 0);
        assertThat(failure(prepare(1, meta("k", 1), new byte[10], m -> {}))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void listsKeysOfOneShardInOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = "key-" + i;
            keys.add(key);
            prepareOk(100 + i, meta(key, 1), key.getBytes(UTF_8));
            blocking().commit(commit(100 + i, key));
        }
        blocking()
                .delete(DeleteRequest.newBuilder().setKey("key-0").setVersion(2).build());
        int shard = Shards.of("key-7");
        List<String> inShard = new ArrayList<>();
        blocking()
                .listKeys(ListKeysRequest.newBuilder().setShard(shard).build())
                .forEachRemaining(k -> inShard.add(k.getMetadata().getKey()));
        assertThat(inShard)
                .isNotEmpty()
                .isSorted()
                .allSatisfy(k -> assertThat(Shards.of(k)).isEqualTo(shard))
                .containsExactlyElementsOf(keys.stream()
                        .filter(k -> Shards.of(k) == shard)
                        .sorted()
                        .toList());
        List<KeyInfo> all = new ArrayList<>();
        blocking().listKeys(ListKeysRequest.newBuilder().setShard(-1).build()).forEachRemaining(all::add);
        assertThat(all).hasSize(40);
        assertThat(all.getFirst().getMetadata().getKey()).isEqualTo("key-0");
        assertThat(all.getFirst().getDeleted()).isTrue();
        List<KeyInfo> page = new ArrayList<>();
        blocking()
                .listKeys(ListKeysRequest.newBuilder()
                        .setShard(-1)
                        .setStartAfter("key-1")
                        .setLimit(3)
                        .build())
                .forEachRemaining(page::add);
        assertThat(page).extracting(k -> k.getMetadata().getKey()).containsExactly("key-10", "key-11", "key-12");
    }

    @Test
    void pullsACommittedVersionFromAnotherVolume(@TempDir Path otherDir) throws Exception {
        byte[] data = random(700_000);
        prepareOk(5, meta("copied", 4), data);
        blocking().commit(commit(5, "copied"));
        Server source = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
        try (BlobStore target = BlobStore.open(otherDir, StoreOptions.defaults(), LIMIT);
                VolumeGrpcService targetService = new VolumeGrpcService(target, "v2", new UploadSlots(4))) {
            Server targetServer = InProcessServerBuilder.forName(name + "-target")
                    .addService(targetService)
                    .build()
                    .start();
            ManagedChannel toTarget =
                    InProcessChannelBuilder.forName(name + "-target").build();
            try {
                assertThat(VolumeGrpc.newBlockingStub(toTarget)
                                .pull(PullRequest.newBuilder()
                                        .setKey("copied")
                                        .setVersion(4)
                                        .setSource("127.0.0.1:" + source.getPort())
                                        .build())
                                .getApplied())
                        .isTrue();
                assertThat(target.head("copied")).map(BlobInfo::version).contains(4L);
                assertThat(target.head("copied")).map(BlobInfo::etag).contains(md5(data));
                assertThatThrownBy(() -> VolumeGrpc.newBlockingStub(toTarget)
                                .pull(PullRequest.newBuilder()
                                        .setKey("copied")
                                        .setVersion(9)
                                        .setSource("127.0.0.1:" + source.getPort())
                                        .build()))
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            } finally {
                toTarget.shutdownNow();
                targetServer.shutdownNow();
            }
        } finally {
            source.shutdownNow();
        }
    }

    /**
     * The volume's server calls handlers on its transport's threads ({@code directExecutor}), which
     * must never block: a unary call answers from a worker, not from the thread that called it.
     */
    @Test
    void aUnaryCallAnswersFromAThreadOfItsOwn() throws Exception {
        FirstAnswer<StatsResponse> answer = new FirstAnswer<>();

        service.stats(StatsRequest.getDefaultInstance(), answer);

        assertThat(answer.value.get(30, TimeUnit.SECONDS).getVolumeId()).isEqualTo("v1");
        assertThat(answer.answeredOn).isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void statsAndCompactAnswer() throws Exception {
        for (int i = 0; i < 5; i++) {
            prepareOk(i + 1, meta("k", i + 1), random(100_000));
            blocking().commit(commit(i + 1, "k"));
        }
        assertThat(blocking().stats(StatsRequest.getDefaultInstance()).getVolumeId())
                .isEqualTo("v1");
        assertThat(blocking().compact(CompactRequest.getDefaultInstance()).getSegmentsCompacted())
                .isPositive();
        assertThat(read("k", 5)).hasSize(100_000);
    }
}
