package io.minikv.bench;

import io.minikv.storage.Durability;
import io.minikv.storage.Store;
import io.minikv.storage.StoreOptions;
import io.minikv.storage.StoreStats;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Memory per key of minikv's in-memory index, against a plain {@code HashMap} index and RocksDB.
 * Not a JMH benchmark: it loads N keys of {@link KeySpace} (20 bytes, 32-byte values) and measures
 * the heap held afterwards, after full collections, as the difference to the heap held before.
 *
 * <p>Three figures for minikv: the index's own count ({@code StoreStats.indexBytes}), and the heap
 * delta right after loading and after a reopen (the index rebuilt from hint files, its key order
 * prepared). The baseline is a {@code HashMap<String, long[]>} holding the same 20-byte keys and
 * the same 24 bytes of location (segment, offset, length, sequence) in a {@code long[3]}, the
 * straightforward Java index. RocksDB keeps its index and filter blocks off the Java heap; the
 * report gives RocksDB's own estimates of that memory.
 *
 * <p>Run with {@code -XX:+UseSerialGC} so that a full collection leaves exactly the live objects,
 * as bench/run.sh does: {@code java -XX:+UseSerialGC -cp bench/target/benchmarks.jar
 * io.minikv.bench.IndexMemoryReport 1000000 10000000}.
 */
public final class IndexMemoryReport {
    private static final byte[] VALUE = new byte[32];

    private IndexMemoryReport() {}

    public static void main(String[] args) throws Exception {
        long[] counts = args.length == 0 ? new long[] {1_000_000} : new long[args.length];
        for (int i = 0; i < args.length; i++) {
            counts[i] = Long.parseLong(args[i]);
        }
        new SplittableRandom(1).nextBytes(VALUE);
        System.out.printf(
                "JVM %s, %s, max heap %d MiB%n",
                Runtime.version(),
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .toList(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println();
        System.out.println("| index | keys | heap delta B/key | self-reported B/key | off-heap |");
        System.out.println("|---|---:|---:|---:|---|");
        for (long count : counts) {
            minikv(count);
            hashMap(count);
            rocksDb(count);
        }
    }

    private static void minikv(long count) throws IOException {
        try (ScratchDirectory directory = ScratchDirectory.create("memory-minikv-")) {
            measureMinikv("minikv, after load", directory, count);
            measureMinikv("minikv, after reopen", directory, 0);
        }
    }

    /**
     * Opens the store, writes {@code count} keys, prints the row and closes the store. Each opening
     * has its own frame, so that no dead local variable keeps a closed store reachable.
     */
    private static void measureMinikv(String label, ScratchDirectory directory, long count) throws IOException {
        long before = liveHeapBytes();
        try (Store store = Store.open(directory.path(), StoreOptions.defaults().withDurability(Durability.NEVER))) {
            for (long i = 0; i < count; i++) {
                store.put(KeySpace.key(i), VALUE);
            }
            store.sync();
            // A listing waits for the key sort that open starts in the background: the index is then complete.
            store.scan(new byte[0], null, 1);
            row(label, store.stats(), liveHeapBytes() - before);
        }
    }

    private static void row(String label, StoreStats stats, long heapDelta) {
        System.out.printf(
                "| %s | %,d | %.1f | %.1f (indexBytes) | none |%n",
                label, stats.keys(), (double) heapDelta / stats.keys(), (double) stats.indexBytes() / stats.keys());
    }

    private static void hashMap(long count) {
        long before = liveHeapBytes();
        Map<String, long[]> index = new HashMap<>();
        for (long i = 0; i < count; i++) {
            index.put(new String(KeySpace.key(i), StandardCharsets.ISO_8859_1), new long[] {i % 1000, i * 64, i});
        }
        long delta = liveHeapBytes() - before;
        System.out.printf(
                "| HashMap<String, long[3]> | %,d | %.1f | n/a | none |%n",
                index.size(), (double) delta / index.size());
    }

    private static void rocksDb(long count) throws IOException {
        try (ScratchDirectory directory = ScratchDirectory.create("memory-rocksdb-")) {
            long before = liveHeapBytes();
            try (RocksDbEngine db = RocksDbEngine.open(directory.path(), false)) {
                for (long i = 0; i < count; i++) {
                    db.put(KeySpace.key(i), VALUE);
                }
                db.settle();
                long delta = liveHeapBytes() - before;
                long tableReaders = db.longProperty("rocksdb.estimate-table-readers-mem");
                long blockCache = db.longProperty("rocksdb.block-cache-usage");
                long memtables = db.longProperty("rocksdb.cur-size-all-mem-tables");
                System.out.printf(
                        "| RocksDB, after load and compaction | %,d | %.1f | %.1f (table readers) | table readers %,d B,"
                                + " block cache %,d B, memtables %,d B |%n",
                        count,
                        (double) delta / count,
                        (double) tableReaders / count,
                        tableReaders,
                        blockCache,
                        memtables);
            }
        }
    }

    /** Heap bytes in use after full collections, which a serial collector leaves holding only live objects. */
    private static long liveHeapBytes() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
