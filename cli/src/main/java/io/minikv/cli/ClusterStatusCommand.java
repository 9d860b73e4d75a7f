package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show the leader, term, coordinators, volumes and shards.")
final class ClusterStatusCommand extends ClientCommand {
    @Override
    int run(MinikvClient client) {
        print(client.status());
        return 0;
    }
}
