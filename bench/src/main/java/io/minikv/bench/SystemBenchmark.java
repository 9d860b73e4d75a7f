package io.minikv.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every row of the comparison on one system, in this order: puts of small values with each client
 * count, a load of every key, linearizable gets with each client count, puts of large values, then
 * the leader kills (last, because they disturb the cluster). Each row is a warm-up run, then a
 * measured run, then the cluster's housekeeping outside the measured window.
 */
final class SystemBenchmark {
    /** Long enough for a 1 MiB put behind 16 others on a busy disk; a slower answer counts as an error. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ClusterUnderTest cluster;
    private final ComparisonOptions options;
    private final List<RowResult> rows = new ArrayList<>();

    private SystemBenchmark(ClusterUnderTest cluster, ComparisonOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    static SystemResults run(ClusterUnderTest cluster, ComparisonOptions options)
            throws IOException, InterruptedException {
        return new SystemBenchmark(cluster, options).run();
    }

    private SystemResults run() throws IOException, InterruptedException {
        String description = cluster.description();
        byte[] value = randomBytes(options.valueSize(), 1);
        byte[] blob = randomBytes(options.blobSize(), 2);
        int keys = options.keys();
        try (KvDriver driver = cluster.driver(REQUEST_TIMEOUT)) {
            settle(driver, value);
            for (int clients : options.clients()) {
                row("put", options.valueSize(), clients, (c, r) -> driver.put(c, key(r.nextInt(keys)), value));
            }
            load(driver, value);
            for (int clients : options.clients()) {
                row("get", options.valueSize(), clients, (c, r) -> {
                    String key = key(r.nextInt(keys));
                    int length = driver.get(c, key);
                    if (length != value.length) {
                        throw new IOException(key + " has " + length + " bytes, not " + value.length);
                    }
                });
            }
            int blobKeys = options.blobKeys();
            row(
                    "put",
                    options.blobSize(),
                    options.blobClients(),
                    (c, r) -> driver.put(c, "blob/" + r.nextInt(blobKeys), blob));
        }
        List<Long> failover = new ArrayList<>();
        String failoverError = null;
        for (int round = 0; round < options.kills() && failoverError == null; round++) {
            try {
                long millis = LeaderFailover.measure(cluster, round, options.attemptTimeout(), value);
                System.err.printf("%s: leader killed, first write acknowledged after %d ms%n", cluster.name(), millis);
                failover.add(millis);
            } catch (IOException e) {
                // The rows above are still worth reporting; later kills would start from a broken cluster.
                failoverError = e.getMessage();
                System.err.printf("%s: leader kill %d failed: %s%n", cluster.name(), round, failoverError);
            }
        }
        return new SystemResults(cluster.name(), description, List.copyOf(rows), List.copyOf(failover), failoverError);
    }

    private void row(String operation, int valueSize, int clients, ClosedLoop.Request request)
            throws IOException, InterruptedException {
        ClosedLoop.run(clients, options.warmup(), 0, request);
        CpuUse before = CpuUse.now(cluster);
        ClosedLoop.Outcome outcome = ClosedLoop.run(clients, options.duration(), 1, request);
        CpuUse used = CpuUse.now(cluster).since(before);
        cluster.betweenRows();
        RowResult row = RowResult.of(cluster.name(), operation, valueSize, clients, outcome, used);
        rows.add(row);
        System.err.printf(
                "%s: %s %d B, %d clients: %,.0f/s, p50 %,d us, p99 %,d us, CPU per operation %,.0f us in the servers"
                        + " and %,.0f us in the driver, %d errors%s%n",
                cluster.name(),
                operation,
                valueSize,
                clients,
                row.perSecond(),
                row.p50Micros(),
                row.p99Micros(),
                row.serverCpuMicrosPerOp(),
                row.driverCpuMicrosPerOp(),
                row.errors(),
                outcome.firstError() == null ? "" : " (first: " + outcome.firstError() + ")");
    }

    /**
     * Unmeasured load before the first row: puts and gets of small values (of keys under their own
     * prefix) with the largest client count, for {@code --settle}. No large values: etcd keeps every
     * revision until the next compaction, and minutes of 1 MiB puts would fill its quota.
     */
    private void settle(KvDriver driver, byte[] value) throws IOException, InterruptedException {
        if (options.settle().isZero()) {
            return;
        }
        int clients = options.clients().stream().max(Integer::compare).orElseThrow();
        int keys = options.keys();
        ClosedLoop.Outcome outcome = ClosedLoop.run(clients, options.settle(), 2, (c, r) -> {
            String key = "settle/" + r.nextInt(keys);
            if (r.nextBoolean()) {
                driver.put(c, key, value);
            } else {
                try {
                    driver.get(c, key);
                } catch (IOException notWrittenYet) {
                    // A get of a key that no put reached yet fails; the load is what matters here.
                }
            }
        });
        cluster.betweenRows();
        System.err.printf(
                "%s: settled for %d s: %,.0f operations/s%n",
                cluster.name(), options.settle().toSeconds(), outcome.perSecond());
    }

    /** Writes every key once, so that every get finds its key. */
    private void load(KvDriver driver, byte[] value) throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        List<IOException> failures = new ArrayList<>();
        for (int c = 0; c < options.clients().getFirst(); c++) {
            int client = c;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int k; (k = next.getAndIncrement()) < options.keys(); ) {
                        driver.put(client, key(k), value);
                    }
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException(cluster.name() + ": loading the keys failed", failures.getFirst());
        }
        cluster.betweenRows();
    }

    private static String key(int n) {
        return "bench/" + n;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
