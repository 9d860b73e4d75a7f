package io.minikv.cli;

import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "add-node", mixinStandardHelpOptions = true, description = "Add a coordinator to the Raft group.")
final class ClusterAddNodeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    private String id;

    @Parameters(index = "1", paramLabel = "ADDRESS", description = "its Raft address, HOST:PORT")
    private String address;

    @Override
    int run(MinikvClient client) {
        print(client.addNode(id, address));
        return 0;
    }
}
