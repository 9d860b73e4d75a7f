package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "add-node", mixinStandardHelpOptions = true, description = "Add a coordinator to the Raft group.")
final class ClusterAddNodeCommand extends UnavailableCommand {
    @Parameters(index = "0", paramLabel = "ID")
    private String id;

    @Parameters(index = "1", paramLabel = "ADDRESS", description = "its Raft address, HOST:PORT")
    private String address;

    @Mixin
    private ClientOptions client;

    ClusterAddNodeCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
