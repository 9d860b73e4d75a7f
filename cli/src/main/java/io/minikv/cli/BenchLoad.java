package io.minikv.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a {@link BenchTarget} with concurrent clients: each does one operation at a time (closed
 * loop) on keys drawn from a fixed key space, and records its latencies. Gets are preceded by a
 * load of every key, so that they always find their data.
 */
final class BenchLoad {
    /** What to run. {@code readRatio} is the share of gets: 1 for gets only, 0 for puts only. */
    record Workload(int clients, long valueSize, int keys, double readRatio, Duration warmup, Duration duration) {}

    /** The keys are {@code bench/0}, {@code bench/1}, ... */
    static final String KEY_PREFIX = "bench/";

    private final Workload workload;
    private final BenchTarget target;
    private final byte[] value;

    BenchLoad(Workload workload, BenchTarget target) {
        this.workload = workload;
        this.target = target;
        this.value = new byte[(int) workload.valueSize()];
        new SplittableRandom(42).nextBytes(value);
    }

    /** Writes every key once, with {@code clients} writers. */
    void preload() throws InterruptedException {
        AtomicLong next = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < workload.clients(); c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (long k; (k = next.getAndIncrement()) < workload.keys(); ) {
                    if (!target.put(k, value)) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + workload.keys() + " preload writes failed");
        }
    }

    /** Runs the warm-up, then the measured window, and summarizes the measured window. */
    LatencySummary run() throws InterruptedException {
        runFor(workload.warmup(), false);
        return runFor(workload.duration(), true);
    }

    private LatencySummary runFor(Duration length, boolean measure) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < workload.clients(); c++) {
            Recorder recorder = new Recorder(new SplittableRandom(c * 7919L + (measure ? 1 : 0)));
            recorders.add(recorder);
            threads.add(Thread.ofPlatform().daemon().start(() -> recorder.loop(end)));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = recorders.stream().mapToInt(r -> r.count).sum();
        long[] all = new long[total];
        int at = 0;
        long errors = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.latencies, 0, all, at, r.count);
            at += r.count;
            errors += r.errors;
        }
        return LatencySummary.of(all, total, errors, seconds);
    }

    private final class Recorder {
        private final SplittableRandom random;
        private long[] latencies = new long[1 << 14];
        private int count;
        private long errors;

        Recorder(SplittableRandom random) {
            this.random = random;
        }

        void loop(long end) {
            while (System.nanoTime() < end) {
                long key = random.nextInt(workload.keys());
                long start = System.nanoTime();
                boolean ok = random.nextDouble() < workload.readRatio() ? target.get(key) : target.put(key, value);
                long took = System.nanoTime() - start;
                if (!ok) {
                    errors++;
                    continue;
                }
                if (count == latencies.length) {
                    latencies = java.util.Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = took;
            }
        }
    }
}
