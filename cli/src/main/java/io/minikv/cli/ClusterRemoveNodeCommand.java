package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "remove-node",
        mixinStandardHelpOptions = true,
        description = "Remove a coordinator from the Raft group.")
final class ClusterRemoveNodeCommand extends UnavailableCommand {
    @Parameters(index = "0", paramLabel = "ID")
    private String id;

    @Mixin
    private ClientOptions client;

    ClusterRemoveNodeCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
