package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    @Test
    void putGetDeleteContains() throws IOException {
        try (Store store = Store.open(dir)) {
            assertThat(store.get(b("a"))).isEmpty();
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.put(b("a"), b("3"));
            assertThat(store.get(b("a"))).map(StoreTest::s).contains("3");
            assertThat(store.contains(b("b"))).isTrue();
            assertThat(store.delete(b("b"))).isTrue();
            assertThat(store.delete(b("b"))).isFalse();
            assertThat(store.contains(b("b"))).isFalse();
            assertThat(store.get(b("b"))).isEmpty();
            assertThat(store.stats().keys()).isEqualTo(1);
        }
    }

    @Test
    void writesSurviveReopen() throws IOException {
        try (Store store = Store.open(dir)) {
            store.put(b("a"), b("1"));
            store.put(b("gone"), b("x"));
            store.delete(b("gone"));
            store.put(b("empty"), new byte[0]);
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.get(b("a"))).map(StoreTest::s).contains("1");
            assertThat(store.get(b("gone"))).isEmpty();
            assertThat(store.get(b("empty"))).map(v -> v.length).contains(0);
            assertThat(store.stats().keys()).isEqualTo(2);
        }
    }

    @Test
    void deleteSurvivesRotationCompactionAndReopen() throws IOException {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(4096);
        try (Store store = Store.open(dir, options)) {
            for (int i = 0; i < 200; i++) {
                store.put(b("k" + (i % 20)), new byte[100]);
            }
            store.delete(b("k3"));
            store.compact();
            assertThat(store.get(b("k3"))).isEmpty();
            assertThat(store.stats().keys()).isEqualTo(19);
        }
        try (Store store = Store.open(dir, options)) {
            assertThat(store.get(b("k3"))).isEmpty();
            assertThat(store.get(b("k4"))).isPresent();
            assertThat(store.stats().keys()).isEqualTo(19);
        }
    }

    @Test
    void compactionReclaimsSpace() throws IOException {
        StoreOptions options =
                StoreOptions.defaults().withSegmentSize(64 * 1024).withBackgroundCompaction(false);
        try (Store store = Store.open(dir, options)) {
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 100; i++) {
                    store.put(b("key" + i), new byte[500]);
                }
            }
            StoreStats before = store.stats();
            CompactionResult result = store.compact();
            StoreStats after = store.stats();
            assertThat(result.bytesReclaimed()).isPositive();
            assertThat(after.totalBytes()).isLessThan(before.totalBytes() / 3);
            assertThat(after.keys()).isEqualTo(100);
            for (int i = 0; i < 100; i++) {
                assertThat(store.get(b("key" + i))).map(v -> v.length).contains(500);
            }
        }
    }

    @Test
    void streamsLargeValuesInAndOut() throws IOException {
        byte[] big = new byte[5 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        try (Store store = Store.open(dir)) {
            store.put(b("big"), new ByteArrayInputStream(big), big.length);
            store.put(b("unknown-length"), new ByteArrayInputStream(big), -1);
            try (ValueStream in = store.openValue(b("big")).orElseThrow()) {
                assertThat(in.length()).isEqualTo(big.length);
                assertThat(in.readAllBytes()).isEqualTo(big);
            }
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.get(b("unknown-length")))
                    .hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
        }
    }

    @Test
    void shortStreamStoresNothing() throws IOException {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> store.put(b("k"), new ByteArrayInputStream(new byte[200_000]), 300_000))
                    .isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> store.put(b("k"), new ByteArrayInputStream(new byte[10]), 300_000))
                    .isInstanceOf(EOFException.class);
            assertThat(store.contains(b("k"))).isFalse();
            store.put(b("after"), new ByteArrayInputStream(new byte[200_000]), 200_000);
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.contains(b("k"))).isFalse();
            assertThat(store.get(b("after"))).map(v -> v.length).contains(200_000);
        }
    }

    @Test
    void enforcesLimits() throws IOException {
        try (Store store = Store.open(dir, StoreOptions.defaults().withMaxValueSize(100_000))) {
            assertThatThrownBy(() -> store.put(new byte[0], b("v"))).isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(() -> store.put(new byte[1025], b("v"))).isInstanceOf(InvalidKeyException.class);
            store.put(new byte[1024], b("v"));
            assertThatThrownBy(() -> store.put(b("k"), new byte[100_001])).isInstanceOf(ValueTooLargeException.class);
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    return 7;
                }
            };
            assertThatThrownBy(() -> store.put(b("k"), endless, -1)).isInstanceOf(ValueTooLargeException.class);
            assertThat(store.contains(b("k"))).isFalse();
        }
    }

    @Test
    void secondOpenIsRefused() throws IOException {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() -> Store.open(dir)).isInstanceOf(StoreLockedException.class);
        }
        Store.open(dir).close();
    }

    @Test
    void scansByPrefixInOrderWithPagination() throws IOException {
        try (Store store = Store.open(dir)) {
            for (String k : List.of("b/2", "a/1", "b/1", "c", "b/3", "b")) {
                store.put(b(k), b(k));
            }
            assertThat(store.scan(b("b/"), null, 10)).map(StoreTest::s).containsExactly("b/1", "b/2", "b/3");
            assertThat(store.scan(b("b/"), b("b/1"), 1)).map(StoreTest::s).containsExactly("b/2");
            assertThat(store.scan(new byte[0], null, 100))
                    .map(StoreTest::s)
                    .containsExactly("a/1", "b", "b/1", "b/2", "b/3", "c");
            store.delete(b("b/2"));
            assertThat(store.scan(b("b/"), null, 10)).map(StoreTest::s).containsExactly("b/1", "b/3");
        }
    }

    @Test
    void concurrentWritersShareSyncs() throws Exception {
        try (Store store = Store.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        store.put(b("t" + thread + "-" + i), b("v" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(store.stats().keys()).isEqualTo(3200);
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.stats().keys()).isEqualTo(3200);
            assertThat(store.get(b("t15-199"))).map(StoreTest::s).contains("v199");
        }
    }

    @Test
    void aBatchAppliesItsWritesInOrderAndSurvivesReopen() throws IOException {
        try (Store store = Store.open(dir)) {
            store.put(b("old"), b("0"));
            store.write(new WriteBatch()
                    .put(b("a"), b("1"))
                    .put(b("b"), b("2"))
                    .delete(b("a"))
                    .put(b("c"), b("3"))
                    .put(b("b"), b("4"))
                    .delete(b("old"))
                    .delete(b("never")));
            assertThat(store.get(b("a"))).isEmpty();
            assertThat(store.get(b("b"))).map(StoreTest::s).contains("4");
            assertThat(store.get(b("c"))).map(StoreTest::s).contains("3");
            assertThat(store.get(b("old"))).isEmpty();
            assertThat(store.stats().keys()).isEqualTo(2);
            store.write(new WriteBatch());
        }
        try (Store store = Store.open(dir)) {
            assertThat(store.get(b("a"))).isEmpty();
            assertThat(store.get(b("b"))).map(StoreTest::s).contains("4");
            assertThat(store.get(b("c"))).map(StoreTest::s).contains("3");
            assertThat(store.get(b("old"))).isEmpty();
            assertThat(store.stats().keys()).isEqualTo(2);
        }
    }

    @Test
    void aBatchLargerThanASegmentSpreadsOverSeveral() throws IOException {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(4096);
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 100; i++) {
            batch.put(b("k" + i), b(("v" + i).repeat(50)));
        }
        batch.put(b("big"), new byte[10_000]);
        try (Store store = Store.open(dir, options)) {
            store.write(batch);
            assertThat(store.stats().segments()).isGreaterThan(3);
            assertThat(store.get(b("k99"))).map(StoreTest::s).contains("v99".repeat(50));
            store.compact();
        }
        try (Store store = Store.open(dir, options)) {
            for (int i = 0; i < 100; i++) {
                assertThat(store.get(b("k" + i))).map(StoreTest::s).contains(("v" + i).repeat(50));
            }
            assertThat(store.get(b("big"))).map(v -> v.length).contains(10_000);
            assertThat(store.stats().keys()).isEqualTo(101);
        }
    }

    @Test
    void aBatchWithAnInvalidEntryWritesNothing() throws IOException {
        try (Store store = Store.open(dir)) {
            assertThatThrownBy(() ->
                            store.write(new WriteBatch().put(b("a"), b("1")).put(new byte[0], b("2"))))
                    .isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(() -> store.write(
                            new WriteBatch().put(b("a"), b("1")).put(b("b"), new byte[WriteBatch.MAX_VALUE_SIZE + 1])))
                    .isInstanceOf(ValueTooLargeException.class);
            assertThat(store.get(b("a"))).isEmpty();
            assertThat(store.stats().keys()).isZero();
        }
    }
}
