package io.minikv.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run a coordinator: public HTTP and gRPC, Raft with its peers.")
final class CoordServeCommand extends UnavailableCommand {
    @Option(names = "--id", required = true, paramLabel = "ID", description = "this coordinator's id in --peers")
    private String id;

    @Option(names = "--bind", required = true, paramLabel = "HOST:PORT", description = "public HTTP address")
    private String bind;

    @Option(
            names = "--grpc",
            required = true,
            paramLabel = "HOST:PORT",
            description = "public and internal gRPC address")
    private String grpc;

    @Option(names = "--raft", required = true, paramLabel = "HOST:PORT", description = "Raft address")
    private String raft;

    @Option(names = "--db", required = true, paramLabel = "DIR", description = "Raft log, snapshots and metadata")
    private Path db;

    @Option(
            names = "--peers",
            required = true,
            split = ",",
            paramLabel = "ID=HOST:RAFTPORT",
            description = "every coordinator of the group, this one included")
    private List<String> peers;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "3",
            description = "replicas of each key (default: ${DEFAULT-VALUE})")
    private int replicas;

    CoordServeCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
