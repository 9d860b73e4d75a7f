package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "remove-node",
        mixinStandardHelpOptions = true,
        description = "Remove a coordinator from the Raft group.")
final class ClusterRemoveNodeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    private String id;

    @Override
    int run(MinikvClient client) {
        print(client.removeNode(id));
        return 0;
    }
}
