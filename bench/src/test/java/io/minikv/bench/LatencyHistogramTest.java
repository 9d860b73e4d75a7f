package io.minikv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyHistogramTest {
    @Test
    void emptyHistogramReportsZero() {
        assertThat(new LatencyHistogram().percentile(99)).isZero();
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "127, 127", "128, 128", "255, 255", "256, 257", "1000000, 1001472"})
    void aSingleValueIsReportedAsTheMiddleOfItsBucket(long nanos, long reported) {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(nanos);
        assertThat(histogram.percentile(50)).isEqualTo(reported);
    }

    @Test
    void percentilesOfMergedHistogramsAreWithinOnePercentOfTheExactOnes() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[100_000];
        LatencyHistogram merged = new LatencyHistogram();
        LatencyHistogram[] parts = {new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()};
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(5, 22)); // 150 ns to 3.6 s
            parts[i % parts.length].record(values[i]);
        }
        for (LatencyHistogram part : parts) {
            merged.add(part);
        }
        Arrays.sort(values);
        assertThat(merged.count()).isEqualTo(values.length);
        for (double percent : new double[] {1, 50, 90, 99, 99.9, 100}) {
            long exact = values[(int) Math.ceil(percent / 100 * values.length) - 1];
            assertThat((double) merged.percentile(percent))
                    .as("p%s with seed %d", percent, seed)
                    .isCloseTo(exact, within(exact * 0.01));
        }
    }
}
