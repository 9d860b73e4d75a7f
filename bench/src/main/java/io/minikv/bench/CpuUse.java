package io.minikv.bench;

import java.time.Duration;

/**
 * CPU time (user and system) used so far by a cluster's member processes and by this benchmark's own
 * process, the driver. On a machine whose cores the servers and the driver share, what one operation
 * costs each of them says where the cores went; like throughput, it moves with the machine's load.
 */
record CpuUse(Duration servers, Duration driver) {
    static CpuUse now(ClusterUnderTest cluster) {
        return new CpuUse(
                cluster.cpuTime(),
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
    }

    /** What was used between {@code earlier} and this reading. */
    CpuUse since(CpuUse earlier) {
        return new CpuUse(servers.minus(earlier.servers), driver.minus(earlier.driver));
    }

    /** {@code time} per operation, in microseconds; 0 when there were none. */
    static double microsPerOperation(Duration time, long operations) {
        return operations == 0 ? 0 : time.toNanos() / 1000.0 / operations;
    }
}
