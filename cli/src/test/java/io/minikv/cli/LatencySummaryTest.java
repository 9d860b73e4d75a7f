package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {
    @Test
    void percentilesUseTheNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[99 - i] = (i + 1) * 1000L;
        }
        LatencySummary summary = LatencySummary.of(nanos, 100, 3, 2.0);
        assertThat(summary.p50Micros()).isEqualTo(50);
        assertThat(summary.p95Micros()).isEqualTo(95);
        assertThat(summary.p99Micros()).isEqualTo(99);
        assertThat(summary.maxMicros()).isEqualTo(100);
        assertThat(summary.opsPerSecond()).isEqualTo(50.0);
        assertThat(summary.errors()).isEqualTo(3);
    }

    @Test
    void emptyRunHasZeroes() {
        LatencySummary summary = LatencySummary.of(new long[0], 0, 5, 1.0);
        assertThat(summary.operations()).isZero();
        assertThat(summary.p99Micros()).isZero();
    }

    @Test
    void onlyTheRecordedPrefixCounts() {
        long[] nanos = {5_000, 1_000, 999_999_000};
        assertThat(LatencySummary.of(nanos, 2, 0, 1.0).maxMicros()).isEqualTo(5);
    }
}
