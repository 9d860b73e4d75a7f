package io.minikv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonReportTest {
    @Test
    void theMainTableSetsEachSystemsFiguresSideBySideWithTheirRatio() {
        assertThat(report().table().lines())
                .containsExactly(
                        "| row | value | clients | etcd ops/s | etcd p50 | etcd p99 | minikv ops/s | minikv p50 | minikv p99"
                                + " | minikv/etcd |",
                        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                        "| put | 256 B | 16 | 1,000 | 1.00 ms | 5.00 ms | 1,500 | 1.00 ms | 5.00 ms | 1.50 |",
                        "| get | 256 B | 16 | 1,000 | 1.00 ms | 5.00 ms | 1,000 | 1.00 ms | 5.00 ms | 1.00 |",
                        "| leader SIGKILL → first write (ms, each kill) |  |  | 900, 1100 |  |  | 500 |  |  | 2.00 |");
    }

    @Test
    void theCpuTableShowsEachSystemsServersAndDriverPerOperationRowByRow() {
        assertThat(report().cpuTable().lines())
                .containsExactly(
                        "| row | value | clients | etcd servers | etcd driver | minikv servers | minikv driver |",
                        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
                        "| put | 256 B | 16 | 402 µs | 607 µs | 1,170 µs | 250 µs |",
                        "| get | 256 B | 16 | 182 µs | 149 µs | 177 µs | 141 µs |");
    }

    @Test
    void cpuUsePerOperationIsTheTimeBetweenTwoReadingsOverTheOperations() {
        CpuUse before = new CpuUse(Duration.ofSeconds(10), Duration.ofSeconds(3));
        CpuUse after = new CpuUse(Duration.ofSeconds(16), Duration.ofSeconds(5));

        CpuUse used = after.since(before);

        assertThat(used).isEqualTo(new CpuUse(Duration.ofSeconds(6), Duration.ofSeconds(2)));
        assertThat(CpuUse.microsPerOperation(used.servers(), 20_000)).isEqualTo(300.0);
        assertThat(CpuUse.microsPerOperation(used.servers(), 0)).isZero();
    }

    /** Two systems whose rows come in different orders. */
    private static ComparisonReport report() {
        return new ComparisonReport(
                ComparisonOptions.parse("--quick"),
                List.of(
                        new SystemResults(
                                "etcd",
                                "",
                                List.of(
                                        row("etcd", "put", 16, 1000, 402.4, 606.5),
                                        row("etcd", "get", 16, 1000, 182, 149)),
                                List.of(900L, 1100L),
                                null),
                        new SystemResults(
                                "minikv",
                                "",
                                List.of(
                                        row("minikv", "get", 16, 1000, 177, 141),
                                        row("minikv", "put", 16, 1500, 1_170.2, 250)),
                                List.of(500L),
                                null)));
    }

    private static RowResult row(
            String system, String operation, int clients, double perSecond, double servers, double driver) {
        return new RowResult(system, operation, 256, clients, perSecond, 1000, 5000, 30_000, 0, 30, servers, driver);
    }
}
