package io.minikv.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rebalance", mixinStandardHelpOptions = true, description = "Move shards after volumes join or leave.")
final class RebalanceCommand extends UnavailableCommand {
    @Mixin
    private ClientOptions client;

    RebalanceCommand() {
        super(Milestone.REPLICATED_CLUSTER);
    }
}
