package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".seg"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void compactedFileIsDeletedOnlyAfterItsLastReaderCloses() throws IOException {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(8 * 1024).withBackgroundCompaction(false);
        try (Store store = Store.open(dir, options)) {
            store.put(b("pinned"), new byte[3000]);
            for (int i = 0; i < 30; i++) {
                store.put(b("churn"), new byte[1000]);
            }
            String firstSegment = segmentFiles().getFirst();
            ValueStream reader = store.openValue(b("pinned")).orElseThrow();
            store.compact();
            assertThat(segmentFiles()).contains(firstSegment);
            assertThat(reader.readAllBytes()).hasSize(3000);
            reader.close();
            assertThat(segmentFiles()).doesNotContain(firstSegment);
            assertThat(store.get(b("pinned"))).map(v -> v.length).contains(3000);
        }
    }

    @Test
    void backgroundCompactionStartsWhenGarbageReachesTheThreshold() throws IOException {
        StoreOptions options = StoreOptions.defaults()
                .withSegmentSize(16 * 1024)
                .withCompactionGarbageRatio(0.5)
                .withCompactionCheckInterval(Duration.ofMillis(50));
        try (Store store = Store.open(dir, options)) {
            for (int i = 0; i < 400; i++) {
                store.put(b("k" + (i % 10)), new byte[500]);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.stats().compactions() > 0);
            assertThat(store.stats().bytesReclaimed()).isPositive();
            for (int i = 0; i < 10; i++) {
                assertThat(store.get(b("k" + i))).map(v -> v.length).contains(500);
            }
        }
    }

    @Test
    void writesRacingWithCompactionKeepTheirLatestValues() throws Exception {
        StoreOptions options = StoreOptions.defaults()
                .withDurability(Durability.NEVER)
                .withSegmentSize(32 * 1024)
                .withCompactionGarbageRatio(0.2)
                .withCompactionCheckInterval(Duration.ofMillis(5))
                .withCompactionBytesPerSecond(0);
        ConcurrentHashMap<String, String> latest = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Store store = Store.open(dir, options)) {
            Thread[] writers = new Thread[3];
            for (int t = 0; t < writers.length; t++) {
                int thread = t;
                writers[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < 6000; i++) {
                            String key = "t" + thread + "-" + (i % 50);
                            String value = key + "@" + i + "-".repeat(200);
                            store.put(b(key), b(value));
                            latest.put(key, value);
                            String read = new String(store.get(b(key)).orElseThrow(), UTF_8);
                            if (!read.equals(value)) {
                                throw new AssertionError(key + " read back " + read);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                writers[t].start();
            }
            Thread compactor = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        store.compact();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            compactor.start();
            for (Thread writer : writers) {
                writer.join();
            }
            stop.set(true);
            compactor.join();
            assertThat(failure.get()).isNull();
            assertThat(store.stats().compactions()).isPositive();
            for (var entry : latest.entrySet()) {
                assertThat(store.get(b(entry.getKey())))
                        .map(v -> new String(v, UTF_8))
                        .contains(entry.getValue());
            }
        }
        try (Store store = Store.open(dir, options)) {
            for (var entry : latest.entrySet()) {
                assertThat(store.get(b(entry.getKey())))
                        .map(v -> new String(v, UTF_8))
                        .contains(entry.getValue());
            }
        }
    }

    @Test
    void tombstoneKeepsHidingAnOlderValueInAnUncompactedSegment() throws IOException {
        StoreOptions options = StoreOptions.defaults()
                .withSegmentSize(4096)
                .withCompactionGarbageRatio(0.5)
                .withCompactionCheckInterval(Duration.ofMillis(20));
        try (Store store = Store.open(dir, options)) {
            // The first segment holds the victim among live keys: little garbage, never compacted.
            store.put(b("victim"), new byte[100]);
            for (int i = 0; i < 24; i++) {
                store.put(b("live" + i), new byte[100]);
            }
            assertThat(store.compact().segmentsCompacted())
                    .as("seals segment 1, which has no garbage")
                    .isZero();
            // Later segments hold the tombstone amid overwrites: mostly garbage, compacted.
            store.delete(b("victim"));
            for (int i = 0; i < 60; i++) {
                store.put(b("other"), new byte[100]);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.stats().compactions() > 0);
            assertThat(segmentFiles().getFirst()).isEqualTo(FileNames.segment(1));
            assertThat(store.get(b("victim"))).isEmpty();
        }
        try (Store store = Store.open(dir, options)) {
            assertThat(store.get(b("victim"))).isEmpty();
            assertThat(store.stats().keys()).isEqualTo(25);
        }
    }

    @Test
    void segmentOfNeededTombstonesIsNotRewrittenAgain() throws IOException {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(4096).withBackgroundCompaction(false);
        try (Store store = Store.open(dir, options)) {
            for (int i = 0; i < 30; i++) {
                store.put(b("keep" + i), new byte[100]);
            }
            store.put(b("victim"), new byte[10]);
            store.delete(b("victim"));
            store.compact();
            CompactionResult second = store.compact();
            assertThat(second.segmentsCompacted()).isZero();
        }
    }

    /**
     * Compaction gathers small records and writes many at once; a reader must never be sent to a
     * copy whose bytes are not in the output yet, so the keys that only sealed segments hold are
     * read over and over while those segments are compacted.
     */
    @Test
    void readsDuringCompactionFindEveryRecordItsSegmentsHold() throws Exception {
        StoreOptions options = StoreOptions.defaults()
                .withDurability(Durability.NEVER)
                .withSegmentSize(256 * 1024)
                .withCompactionGarbageRatio(0.01)
                .withBackgroundCompaction(false)
                .withCompactionBytesPerSecond(0);
        int stable = 2000;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Store store = Store.open(dir, options)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < stable; i++) {
                    store.put(b("stable" + i), b("stable" + i + "@" + round + "-".repeat(150)));
                }
            }
            Thread reader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        for (int i = 0; i < stable; i++) {
                            String read = store.get(b("stable" + i))
                                    .map(v -> new String(v, UTF_8))
                                    .orElse("(nothing)");
                            if (!read.startsWith("stable" + i + "@2-")) {
                                throw new AssertionError("stable" + i + " read back " + read);
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            long compactions = 0;
            for (int pass = 0; pass < 20 && failure.get() == null; pass++) {
                // A few rewrites leave garbage in every segment of stable records, so each pass copies them again.
                for (int i = pass % 20; i < stable; i += 20) {
                    store.put(b("stable" + i), b("stable" + i + "@2-" + "-".repeat(150)));
                }
                for (int i = 0; i < 3000; i++) {
                    store.put(b("churn" + (i % 10)), new byte[200]);
                }
                compactions += store.compact().segmentsCompacted();
            }
            stop.set(true);
            reader.join();
            assertThat(failure.get()).isNull();
            assertThat(compactions).isPositive();
            assertThat(store.stats().corruptionsReported()).isZero();
        }
    }
}
