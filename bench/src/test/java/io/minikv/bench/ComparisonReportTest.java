package io.minikv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonReportTest {
    @Test
    void theCpuTableShowsEachSystemsServersAndDriverPerOperationRowByRow() {
        ComparisonReport report = new ComparisonReport(
                ComparisonOptions.parse("--quick"),
                List.of(
                        new SystemResults(
                                "etcd",
                                "",
                                List.of(row("etcd", "put", 16, 402.4, 606.5), row("etcd", "get", 16, 182, 149)),
                                List.of(),
                                null),
                        new SystemResults(
                                "minikv",
                                "",
                                List.of(row("minikv", "get", 16, 177, 141), row("minikv", "put", 16, 1_170.2, 250)),
                                List.of(),
                                null)));

        assertThat(report.cpuTable().lines())
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

    private static RowResult row(String system, String operation, int clients, double servers, double driver) {
        return new RowResult(system, operation, 256, clients, 1000, 1000, 5000, 30_000, 0, 30, servers, driver);
    }
}
