package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;

@Command(name = "rebalance", mixinStandardHelpOptions = true, description = "Move shards after volumes join or leave.")
final class RebalanceCommand extends ClientCommand {
    @Override
    int run(MinikvClient client) {
        print(client.rebalance());
        return 0;
    }
}
