package io.minikv.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = {
            "Run a local cluster on loopback, each node its own process.",
            "Coordinator i serves HTTP on 5000+10i, gRPC on 5001+10i, Raft on 5002+10i;"
                    + " volume i serves HTTP on 6000+10i, gRPC on 6001+10i. Runs until Ctrl-C or SIGTERM."
        })
final class DevCommand extends UnavailableCommand {
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
            description = "coordinators (default: ${DEFAULT-VALUE})")
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
            description = "replicas of each key (default: ${DEFAULT-VALUE})")
    private int replicas;

    DevCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
