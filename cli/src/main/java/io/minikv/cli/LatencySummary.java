package io.minikv.cli;

import java.util.Arrays;

/**
 * Operation counts and latency percentiles of a load run. Pure: recorded latencies in, figures out.
 *
 * @param operations completed operations
 * @param errors failed operations (not in the latencies)
 * @param seconds length of the measured window
 * @param p50Micros median latency
 * @param p95Micros 95th percentile
 * @param p99Micros 99th percentile
 * @param maxMicros slowest operation
 */
record LatencySummary(
        long operations, long errors, double seconds, long p50Micros, long p95Micros, long p99Micros, long maxMicros) {

    double opsPerSecond() {
        return seconds <= 0 ? 0 : operations / seconds;
    }

    /** Summarizes latencies in nanoseconds (the array is sorted in place). */
    static LatencySummary of(long[] latenciesNanos, int count, long errors, double seconds) {
        Arrays.sort(latenciesNanos, 0, count);
        return new LatencySummary(
                count,
                errors,
                seconds,
                percentile(latenciesNanos, count, 50),
                percentile(latenciesNanos, count, 95),
                percentile(latenciesNanos, count, 99),
                count == 0 ? 0 : latenciesNanos[count - 1] / 1000);
    }

    /** Nearest-rank percentile of the first {@code count} sorted values, in microseconds. */
    private static long percentile(long[] sorted, int count, int percent) {
        if (count == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * count);
        return sorted[Math.max(0, rank - 1)] / 1000;
    }
}
