package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show the leader, term, coordinators, volumes and shards.")
final class ClusterStatusCommand extends UnavailableCommand {
    @Mixin
    private ClientOptions client;

    ClusterStatusCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
