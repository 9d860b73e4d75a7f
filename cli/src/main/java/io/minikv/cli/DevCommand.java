package io.minikv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = {
            "Run a local cluster on loopback, each node its own process.",
            "Coordinator i serves HTTP on 5000+10i, gRPC on 5001+10i, Raft on 5002+10i;"
                    + " volume i serves HTTP on 6000+10i, gRPC on 6001+10i (with the default --base-port)."
                    + " Each node logs to DIR/logs/<id>.log. Runs until Ctrl-C or SIGTERM, then stops every node;"
                    + " the data stays in DIR for the next run."
        })
final class DevCommand implements Callable<Integer> {
    /**
     * Six JVMs starting at once take about a minute on two busy cores, then the Raft election; this
     * is long only so that a node stuck while starting is named rather than waited for forever.
     */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "./minikv-data",
            description = "where every node keeps its data, across runs (default: ${DEFAULT-VALUE})")
    private Path data;

    @Option(
            names = "--coordinators",
            paramLabel = "N",
            defaultValue = "3",
            description = "coordinators; an even number is allowed, with a warning (default: ${DEFAULT-VALUE})")
    private int coordinators;

    @Option(
            names = "--volumes",
            paramLabel = "N",
            defaultValue = "3",
            description = "volumes (default: ${DEFAULT-VALUE})")
    private int volumes;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "3",
            description = "replicas of each key, at most --volumes (default: ${DEFAULT-VALUE})")
    private int replicas;

    @Option(
            names = "--base-port",
            paramLabel = "P",
            defaultValue = "" + DevLayout.DEFAULT_BASE_PORT,
            description = "coordinator i listens on P+10i (HTTP), P+10i+1 (gRPC), P+10i+2 (Raft);"
                    + " volume i on P+1000+10i (HTTP), P+1000+10i+1 (gRPC) (default: ${DEFAULT-VALUE})")
    private int basePort;

    @Override
    public Integer call() throws IOException, InterruptedException {
        DevLayout layout = layout();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        layout.warning().ifPresent(warning -> err.println(spec.qualifiedName() + ": warning: " + warning));
        List<DevNode> nodes = layout.nodes();
        DevCluster cluster = new DevCluster(MinikvJvm.current(), err);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "minikv-dev-shutdown"));
        try {
            List<NodeProcess> processes = cluster.start(nodes);
            printLayout(out, layout, nodes, processes);
            cluster.awaitReady(nodes, READY_TIMEOUT);
        } catch (IOException e) {
            cluster.stop();
            throw e;
        }
        out.println("cluster ready");
        cluster.awaitStopped();
        return 0;
    }

    private DevLayout layout() {
        try {
            return new DevLayout(data, coordinators, volumes, replicas, basePort);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Where every node listens, with its process id: {@code kill -9 PID} is how to try a failure. */
    private static void printLayout(
            PrintWriter out, DevLayout layout, List<DevNode> nodes, List<NodeProcess> processes) {
        out.printf(
                "minikv dev: %d coordinators, %d volumes, %d replicas of each key%n",
                layout.coordinators(), layout.volumes(), layout.replicas());
        Map<String, Long> pids = processes.stream().collect(Collectors.toMap(NodeProcess::id, NodeProcess::pid));
        String row = "  %-5s %-8s %-16s %-16s %-16s %s%n";
        out.printf(row, "node", "pid", "HTTP", "gRPC", "Raft", "data");
        for (DevNode node : nodes) {
            out.printf(
                    row,
                    node.id(),
                    pids.containsKey(node.id()) ? pids.get(node.id()) : "-",
                    DevNode.address(node.httpPort()),
                    DevNode.address(node.grpcPort()),
                    node.raftPort().isPresent()
                            ? DevNode.address(node.raftPort().getAsInt())
                            : "-",
                    node.dataDir());
        }
        String coordinator = nodes.getFirst().httpUrl().toString();
        out.printf("data: %s (kept across runs)%n", layout.dataDir());
        out.printf("logs: %s%n", layout.logDir().resolve("<node>.log"));
        out.printf("try:  curl -X PUT --data-binary 'hello' %s/blobs/hello%n", coordinator);
        out.printf("      curl %s/blobs/hello%n", coordinator);
        out.println("waiting until every node answers GET /health (Ctrl-C stops every node) ...");
        out.flush();
    }
}
