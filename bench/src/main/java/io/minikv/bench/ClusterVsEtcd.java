package io.minikv.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A 3-coordinator, 3-volume minikv cluster side by side with a 3-member etcd, in one run on this
 * machine: durable puts and linearizable gets of small values with several client counts, puts of
 * 1 MiB values, and the time from SIGKILL of the leader to the next acknowledged write. The systems
 * run one after the other, each alone on the machine; bench/cluster-vs-etcd.sh builds and runs it,
 * and docs/benchmarks.md says what each row measures.
 */
public final class ClusterVsEtcd {
    private ClusterVsEtcd() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        ComparisonOptions options;
        try {
            options = ComparisonOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // The clusters are this JVM's children: an interrupted run must not leave them running.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly)));
        List<SystemResults> results = new ArrayList<>();
        boolean failed = false;
        for (String system : options.systems()) {
            try (ClusterUnderTest cluster = start(system, options)) {
                System.err.println(system + ": " + cluster.description());
                results.add(SystemBenchmark.run(cluster, options));
            } catch (IOException e) {
                // One system's failure should not throw away the other's figures.
                System.err.println(system + ": failed: " + e.getMessage());
                failed = true;
            }
        }
        if (results.isEmpty()) {
            System.exit(1);
        }
        ComparisonReport report = new ComparisonReport(options, results);
        report.writeJson(options.json());
        for (SystemResults s : results) {
            System.out.println(s.system() + ": " + s.description());
        }
        System.out.println();
        System.out.print(report.table());
        System.out.println();
        System.out.println("CPU time per acknowledged operation, in the cluster's processes and in the driver:");
        System.out.println();
        System.out.print(report.cpuTable());
        if (failed) {
            System.exit(1);
        }
    }

    private static ClusterUnderTest start(String system, ComparisonOptions options)
            throws IOException, InterruptedException {
        return switch (system) {
            case "etcd" -> EtcdCluster.start(options.etcd(), options.etcdConnections());
            case "minikv" -> startMinikv(options);
            default -> throw new IllegalArgumentException("unknown system " + system + "; use etcd or minikv");
        };
    }

    /**
     * The nodes' ports are chosen before they start, and a node's own outgoing connections (Raft,
     * heartbeats) may take one of them first: the node that should have bound it exits. A second try
     * gets new ports.
     */
    private static MinikvCluster startMinikv(ComparisonOptions options) throws IOException, InterruptedException {
        try {
            return MinikvCluster.start(options);
        } catch (IOException e) {
            System.err.println("minikv: did not start (" + e.getMessage() + "); trying again with other ports");
            return MinikvCluster.start(options);
        }
    }
}
