package io.minikv.volume;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import io.minikv.storage.StoreOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    private static final long LIMIT = 1 << 20;

    @TempDir
    Path dir;

    BlobStore blobs;

    @BeforeEach
    void open() throws IOException {
        blobs = BlobStore.open(dir, StoreOptions.defaults(), LIMIT);
    }

    @AfterEach
    void close() throws IOException {
        blobs.close();
    }

    private void reopen() throws IOException {
        blobs.close();
        blobs = BlobStore.open(dir, StoreOptions.defaults(), LIMIT);
    }

    private static InputStream in(byte[] data) {
        return new ByteArrayInputStream(data);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private byte[] read(String key) throws IOException {
        try (BlobData data = blobs.open(key, 0).orElseThrow()) {
            return data.data().readAllBytes();
        }
    }

    private static BlobInfo declared(String key, long version, byte[] data) throws Exception {
        return new BlobInfo(key, version, data.length, md5(data), "text/plain", 1);
    }

    @Test
    void singleNodePutsNumberVersionsAndComputeMd5() throws Exception {
        byte[] small = "hello".getBytes(UTF_8);
        byte[] large = random(200_000);
        BlobInfo first = blobs.put("a/b", in(small), small.length, "text/plain", Precondition.NONE);
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.etag()).isEqualTo(md5(small));
        BlobInfo second = blobs.put("a/b", in(large), -1, "application/octet-stream", Precondition.NONE);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.size()).isEqualTo(large.length);
        assertThat(second.etag()).isEqualTo(md5(large));
        assertThat(read("a/b")).isEqualTo(large);
        reopen();
        assertThat(blobs.head("a/b")).contains(second);
        assertThat(read("a/b")).isEqualTo(large);
        assertThat(blobs.stats().keys()).as("pointer and one data record").isEqualTo(2);
    }

    @Test
    void replacedDataIsDeleted() throws Exception {
        for (int i = 0; i < 5; i++) {
            blobs.put("k", in(random(100_000 + i)), -1, "x", Precondition.NONE);
        }
        blobs.put("small", in(new byte[10]), 10, "x", Precondition.NONE);
        reopen();
        assertThat(blobs.stats().keys()).isEqualTo(3);
    }

    @Test
    void conditionalWrites() throws Exception {
        byte[] v1 = "one".getBytes(UTF_8);
        BlobInfo first = blobs.put("k", in(v1), 3, "x", new Precondition.IfAbsent());
        assertThatThrownBy(() -> blobs.put("k", in(v1), 3, "x", new Precondition.IfAbsent()))
                .isInstanceOf(MinikvException.PreconditionFailed.class);
        assertThatThrownBy(() -> blobs.put("k", in(v1), 3, "x", new Precondition.IfMatch(md5("other".getBytes(UTF_8)))))
                .isInstanceOf(MinikvException.PreconditionFailed.class);
        BlobInfo second = blobs.put("k", in(v1), 3, "x", new Precondition.IfMatch(first.etag()));
        assertThat(second.version()).isEqualTo(2);
        assertThatThrownBy(() -> blobs.put("absent", in(v1), 3, "x", new Precondition.IfMatch(first.etag())))
                .isInstanceOf(MinikvException.PreconditionFailed.class);
    }

    @Test
    void rejectsBadKeysShortDataAndOversizedBlobs() {
        assertThatThrownBy(() -> blobs.put("bad\nkey", in(new byte[1]), 1, "x", Precondition.NONE))
                .isInstanceOf(MinikvException.InvalidArgument.class);
        assertThatThrownBy(() -> blobs.put("k", in(new byte[10]), 20, "x", Precondition.NONE))
                .isInstanceOf(MinikvException.InvalidArgument.class);
        assertThatThrownBy(() -> blobs.put("k", in(new byte[100_000]), 200_000, "x", Precondition.NONE))
                .isInstanceOf(MinikvException.InvalidArgument.class);
        assertThatThrownBy(() -> blobs.put("k", in(new byte[10]), LIMIT + 1, "x", Precondition.NONE))
                .isInstanceOf(MinikvException.TooLarge.class);
        assertThatThrownBy(() -> blobs.put("k", in(new byte[(int) LIMIT + 1]), -1, "x", Precondition.NONE))
                .isInstanceOf(MinikvException.TooLarge.class);
        assertThat(blobs.preparedTransactions()).isEmpty();
    }

    @Test
    void failedUploadLeavesNothingBehindAfterReopen() throws Exception {
        assertThatThrownBy(() -> blobs.put("k", in(new byte[100_000]), 200_000, "x", Precondition.NONE))
                .isInstanceOf(MinikvException.InvalidArgument.class);
        reopen();
        assertThat(blobs.head("k")).isEmpty();
        assertThat(blobs.preparedTransactions()).isEmpty();
        assertThat(blobs.stats().keys()).isZero();
    }

    @Test
    void preparedVersionIsInvisibleUntilCommitted() throws Exception {
        byte[] data = random(100_000);
        blobs.prepare(7, declared("k", 5, data), in(data));
        assertThat(blobs.head("k")).isEmpty();
        assertThat(blobs.preparedTransactions())
                .extracting(PreparedTransaction::transactionId)
                .containsExactly(7L);
        assertThat(blobs.commit(7, "k")).isTrue();
        assertThat(blobs.head("k")).map(BlobInfo::version).contains(5L);
        assertThat(read("k")).isEqualTo(data);
        assertThat(blobs.preparedTransactions()).isEmpty();
        assertThat(blobs.commit(7, "k")).as("commit is idempotent").isTrue();
    }

    @Test
    void preparedTransactionsSurviveRestart() throws Exception {
        byte[] small = "small".getBytes(UTF_8);
        byte[] large = random(90_000);
        blobs.prepare(1, declared("s", 3, small), in(small));
        blobs.prepare(2, declared("l", 4, large), in(large));
        reopen();
        assertThat(blobs.preparedTransactions())
                .extracting(PreparedTransaction::transactionId)
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(blobs.commit(1, "s")).isTrue();
        blobs.abort(2);
        blobs.abort(2);
        reopen();
        assertThat(read("s")).isEqualTo(small);
        assertThat(blobs.head("l")).isEmpty();
        assertThat(blobs.preparedTransactions()).isEmpty();
    }

    @Test
    void olderCommitAfterNewerIsIgnored() throws Exception {
        byte[] old = "old".getBytes(UTF_8);
        byte[] fresh = "fresh".getBytes(UTF_8);
        blobs.prepare(1, declared("k", 1, old), in(old));
        blobs.prepare(2, declared("k", 2, fresh), in(fresh));
        assertThat(blobs.commit(2, "k")).isTrue();
        assertThat(blobs.commit(1, "k")).isFalse();
        assertThat(read("k")).isEqualTo(fresh);
        assertThat(blobs.preparedTransactions()).isEmpty();
    }

    @Test
    void deletionAtAVersionBlocksOlderCommits() throws Exception {
        byte[] data = "data".getBytes(UTF_8);
        blobs.prepare(1, declared("k", 3, data), in(data));
        assertThat(blobs.delete("k", 5)).isTrue();
        assertThat(blobs.commit(1, "k")).isFalse();
        assertThat(blobs.head("k")).isEmpty();
        assertThat(blobs.delete("k", 4))
                .as("a deletion older than the current one")
                .isFalse();
        byte[] newer = "newer".getBytes(UTF_8);
        blobs.prepare(2, declared("k", 6, newer), in(newer));
        assertThat(blobs.commit(2, "k")).isTrue();
        assertThat(blobs.delete("k", 5))
                .as("a deletion older than the committed version")
                .isFalse();
        assertThat(read("k")).isEqualTo(newer);
    }

    @Test
    void prepareChecksSizeChecksumAndTransactionReuse() throws Exception {
        byte[] data = random(50_000);
        BlobInfo wrongEtag = new BlobInfo("k", 1, data.length, md5(new byte[1]), "x", 1);
        assertThatThrownBy(() -> blobs.prepare(1, wrongEtag, in(data)))
                .isInstanceOf(MinikvException.InvalidArgument.class);
        BlobInfo tooLong = new BlobInfo("k", 1, data.length + 10, md5(data), "x", 1);
        assertThatThrownBy(() -> blobs.prepare(2, tooLong, in(data)))
                .isInstanceOf(MinikvException.InvalidArgument.class);
        blobs.prepare(3, declared("k", 1, data), in(data));
        assertThatThrownBy(() -> blobs.prepare(3, declared("k", 1, data), in(data)))
                .isInstanceOf(MinikvException.Conflict.class);
        assertThatThrownBy(() -> blobs.commit(99, "k")).isInstanceOf(MinikvException.NotFound.class);
        assertThat(blobs.preparedTransactions())
                .extracting(PreparedTransaction::transactionId)
                .containsExactly(3L);
    }

    @Test
    void batchesPrepareAndCommitWithAResultForEachValue() throws Exception {
        byte[] a = "a".getBytes(UTF_8);
        byte[] b = random(BlobStore.INLINE_LIMIT);
        List<MinikvException> prepared = blobs.prepareAndCommit(
                        List.of(
                                new SmallValue(1, declared("a", 1, a), a),
                                new SmallValue(2, new BlobInfo("bad", 1, a.length, md5(new byte[1]), "x", 1), a),
                                new SmallValue(1, declared("again", 1, a), a),
                                new SmallValue(3, declared("b", 2, b), b)),
                        List.of())
                .prepared();
        assertThat(prepared.get(0)).isNull();
        assertThat(prepared.get(1)).isInstanceOf(MinikvException.InvalidArgument.class);
        assertThat(prepared.get(2)).as("a transaction id in use").isInstanceOf(MinikvException.Conflict.class);
        assertThat(prepared.get(3)).isNull();
        assertThat(blobs.head("a")).as("prepared, not visible").isEmpty();
        reopen();
        assertThat(blobs.preparedTransactions())
                .extracting(PreparedTransaction::transactionId)
                .containsExactlyInAnyOrder(1L, 3L);

        byte[] c = "c".getBytes(UTF_8);
        BatchOutcome both = blobs.prepareAndCommit(
                List.of(new SmallValue(4, declared("c", 4, c), c)),
                List.of(
                        new CommitOrder(1, "a"),
                        new CommitOrder(99, "a"),
                        new CommitOrder(3, "b"),
                        new CommitOrder(1, "a")));
        assertThat(both.prepared()).containsExactly((MinikvException) null);
        List<CommitResult> committed = both.committed();
        assertThat(committed).extracting(CommitResult::applied).containsExactly(true, false, true, true);
        assertThat(committed.get(1).error()).isInstanceOf(MinikvException.NotFound.class);
        assertThat(committed)
                .extracting(CommitResult::error)
                .filteredOn(e -> e != null)
                .hasSize(1);
        reopen();
        assertThat(read("a")).isEqualTo(a);
        assertThat(read("b")).isEqualTo(b);
        assertThat(blobs.head("b")).map(BlobInfo::version).contains(2L);
        assertThat(blobs.head("c"))
                .as("prepared in the batch that committed the others")
                .isEmpty();
        assertThat(blobs.preparedTransactions())
                .extracting(PreparedTransaction::transactionId)
                .containsExactly(4L);
    }

    @Test
    void commitsOfOneKeyInOneBatchTakeEffectInOrder() throws Exception {
        byte[] first = random(BlobStore.INLINE_LIMIT + 1);
        byte[] third = "third".getBytes(UTF_8);
        byte[] second = "second".getBytes(UTF_8);
        blobs.prepare(10, declared("k", 1, first), in(first));
        blobs.prepare(11, declared("k", 3, third), in(third));
        blobs.prepare(12, declared("k", 2, second), in(second));
        List<CommitResult> committed = blobs.prepareAndCommit(
                        List.of(),
                        List.of(new CommitOrder(10, "k"), new CommitOrder(11, "k"), new CommitOrder(12, "k")))
                .committed();
        assertThat(committed).extracting(CommitResult::error).containsOnlyNulls();
        assertThat(committed)
                .extracting(CommitResult::applied)
                .as("version 2 arrives after version 3 and is dropped")
                .containsExactly(true, true, false);
        assertThat(blobs.head("k")).map(BlobInfo::version).contains(3L);
        assertThat(read("k")).isEqualTo(third);
        assertThat(blobs.preparedTransactions()).isEmpty();
        assertThatThrownBy(() -> blobs.commit(12, "k"))
                .as("dropped: neither prepared nor committed")
                .isInstanceOf(MinikvException.NotFound.class);
        reopen();
        assertThat(read("k")).isEqualTo(third);
        assertThat(blobs.preparedTransactions()).isEmpty();
        assertThat(blobs.stats().keys())
                .as("the pointer alone: markers and the first version's data are deleted")
                .isEqualTo(1);
    }

    @Test
    void aBatchWithAValueAboveTheInlineLimitIsRefusedWhole() throws Exception {
        byte[] small = "small".getBytes(UTF_8);
        byte[] large = random(BlobStore.INLINE_LIMIT + 1);
        assertThatThrownBy(() -> blobs.prepareAndCommit(
                        List.of(
                                new SmallValue(1, declared("s", 1, small), small),
                                new SmallValue(2, declared("l", 1, large), large)),
                        List.of()))
                .isInstanceOf(MinikvException.InvalidArgument.class)
                .hasMessageContaining("at most " + BlobStore.INLINE_LIMIT);
        assertThat(blobs.preparedTransactions()).isEmpty();
    }

    @Test
    void listsCommittedKeysInOrderWithoutInternalRecords() throws Exception {
        for (String k : new String[] {"b/2", "a", "b/1", "c"}) {
            blobs.put(k, in(random(k.equals("a") ? 40_000 : 10)), -1, "x", Precondition.NONE);
        }
        byte[] data = "p".getBytes(UTF_8);
        blobs.prepare(5, declared("b/0", 1, data), in(data));
        assertThat(blobs.list("", null, 100)).containsExactly("a", "b/1", "b/2", "c");
        assertThat(blobs.list("b/", null, 100)).containsExactly("b/1", "b/2");
        assertThat(blobs.list("", "b/1", 2)).containsExactly("b/2", "c");
        blobs.delete("b/1", 9);
        assertThat(blobs.list("b/", null, 100)).containsExactly("b/2");
        assertThat(blobs.delete("c")).isTrue();
        assertThat(blobs.delete("c")).isFalse();
        assertThat(blobs.list("", null, 100)).containsExactly("a", "b/2");
    }
}
