package io.minikv.bench;

/**
 * One measured row of one system: {@code clients} closed-loop clients doing {@code operation} on
 * values of {@code valueSize} bytes for {@code seconds}.
 *
 * @param operation {@code put} or {@code get}
 * @param perSecond acknowledged operations per second
 * @param p50Micros median latency of the acknowledged operations
 * @param p99Micros 99th percentile
 * @param errors failed operations (not counted in the figures above)
 * @param serverCpuMicrosPerOp CPU time of the cluster's processes per acknowledged operation ({@link CpuUse})
 * @param driverCpuMicrosPerOp CPU time of the benchmark's own process, its clients, per acknowledged operation
 */
record RowResult(
        String system,
        String operation,
        int valueSize,
        int clients,
        double perSecond,
        long p50Micros,
        long p99Micros,
        long operations,
        long errors,
        double seconds,
        double serverCpuMicrosPerOp,
        double driverCpuMicrosPerOp) {

    static RowResult of(
            String system, String operation, int valueSize, int clients, ClosedLoop.Outcome outcome, CpuUse cpu) {
        return new RowResult(
                system,
                operation,
                valueSize,
                clients,
                outcome.perSecond(),
                outcome.latencies().percentile(50) / 1000,
                outcome.latencies().percentile(99) / 1000,
                outcome.operations(),
                outcome.errors(),
                outcome.seconds(),
                CpuUse.microsPerOperation(cpu.servers(), outcome.operations()),
                CpuUse.microsPerOperation(cpu.driver(), outcome.operations()));
    }

    /** Whether {@code other} measured the same thing on another system. */
    boolean sameRowAs(RowResult other) {
        return operation.equals(other.operation) && valueSize == other.valueSize && clients == other.clients;
    }
}
