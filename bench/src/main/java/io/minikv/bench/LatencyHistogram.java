package io.minikv.bench;

/**
 * Latencies in log-linear buckets: exact below 128 ns, then 128 buckets per power of two, so that a
 * percentile is off by less than 1% of its value. Fixed memory however long the run; one per client
 * thread (no sharing), merged at the end. HdrHistogram does the same with more precision, but is not
 * in the stack (../shared/STACK.md).
 */
final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

    private final long[] counts = new long[(64 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS];
    private long total;

    void record(long nanos) {
        counts[bucket(Math.max(0, nanos))]++;
        total++;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long count() {
        return total;
    }

    /** The nearest-rank percentile in nanoseconds (the middle of its bucket); 0 when nothing was recorded. */
    long percentile(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return middle(i);
            }
        }
        throw new IllegalStateException("counts add up to less than " + total);
    }

    private static int bucket(long nanos) {
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent < SUB_BUCKET_BITS) {
            return (int) nanos;
        }
        int shift = exponent - SUB_BUCKET_BITS;
        return (shift + 1) * SUB_BUCKETS + (int) ((nanos >>> shift) & (SUB_BUCKETS - 1));
    }

    private static long middle(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int shift = bucket / SUB_BUCKETS - 1;
        long low = ((long) SUB_BUCKETS + bucket % SUB_BUCKETS) << shift;
        return low + (1L << shift) / 2;
    }
}
